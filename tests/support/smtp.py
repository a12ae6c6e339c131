"""A real SMTP server on loopback for tests that send mail (aiosmtpd).

As a pytest plugin (``pytest_plugins = [..., "tests.support.smtp"]``) it provides the
function-scoped fixture ``smtp_server``::

    def test_notifies_owner(app, smtp_server, monkeypatch):
        monkeypatch.setitem(app.config, "MAIL_SERVER", smtp_server.host)
        monkeypatch.setitem(app.config, "MAIL_PORT", smtp_server.port)
        ...                                   # the app sends a mail
        [mail] = smtp_server.wait_for(1)      # ReceivedMail, waits up to 5 s
        assert mail.rcpt_tos == ["ida@kommune.no"]
        assert "Porten er godkjent" in mail.message["Subject"]

    def test_retries_later_when_mail_server_is_down(smtp_server):
        smtp_server.stop()                    # the port now refuses connections
        ...
        smtp_server.start()                   # back on the same port

`SmtpServer` can also be used directly as a context manager.
"""
from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the server received it."""

    #: envelope sender (MAIL FROM)
    mail_from: str
    #: envelope recipients (RCPT TO), in order
    rcpt_tos: list[str]
    #: the parsed message (email.policy.default: headers are decoded str)
    message: EmailMessage
    #: the message exactly as transmitted
    raw: bytes
    #: the client's (address, port): one SMTP connection, i.e. one sender's run
    peer: tuple = ()
    #: time.monotonic() when the message was accepted
    received_at: float = 0.0

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    def text(self) -> str:
        """The plain-text body (or the HTML one when there is no plain text)."""
        part = self.message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self._server = server

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        mail = ReceivedMail(
            mail_from=envelope.mail_from,
            rcpt_tos=list(envelope.rcpt_tos),
            message=email.message_from_bytes(raw, policy=email.policy.default),
            raw=raw,
            peer=tuple(session.peer or ()),
            received_at=time.monotonic(),
        )
        self._server._received(mail)
        if self._server.delay:
            await asyncio.sleep(self._server.delay)  # a slow mail server
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """aiosmtpd's Controller, able to listen on port 0 (a free port chosen by the OS)."""

    def _trigger_server(self):
        # Called once the listening socket exists: learn the real port before the base
        # class connects to it to check that the server answers.
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpServer:
    """An SMTP server on 127.0.0.1 that keeps every message it receives."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, delay: float = 0.0) -> None:
        self.host = host
        #: seconds the server takes to accept each message (to make senders overlap)
        self.delay = delay
        #: the listening port (chosen at the first start and kept across restarts)
        self.port = port
        #: every ReceivedMail so far, oldest first
        self.messages: list[ReceivedMail] = []
        self._cond = threading.Condition()
        self._controller: _Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> SmtpServer:
        """Start listening (again, on the same port after a `stop()`)."""
        if self._controller is None:
            controller = _Controller(_Handler(self), hostname=self.host, port=self.port,
                                     ready_timeout=10)
            controller.start()
            self.port = controller.port
            self._controller = controller
        return self

    def stop(self) -> None:
        """Stop listening: connections to host:port are then refused."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def clear(self) -> None:
        with self._cond:
            self.messages.clear()

    def _received(self, mail: ReceivedMail) -> None:
        with self._cond:
            self.messages.append(mail)
            self._cond.notify_all()

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[ReceivedMail]:
        """Wait until at least `count` messages arrived; return all of them.

        Fails the test (AssertionError) with what did arrive when time runs out.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    got = [(m.rcpt_tos, m.subject) for m in self.messages]
                    raise AssertionError(
                        f"expected {count} mail(s) at {self.host}:{self.port} within "
                        f"{timeout}s, got {len(self.messages)}: {got}")
                self._cond.wait(left)
            return list(self.messages)

    def app_config(self) -> dict[str, object]:
        """Flask config values that make the app deliver to this server."""
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port, "MAIL_USE_TLS": False,
                "MAIL_USERNAME": "", "MAIL_PASSWORD": ""}

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<SmtpServer {self.host}:{self.port} {state}, {len(self.messages)} mail(s)>"


@pytest.fixture()
def smtp_server() -> Iterator[SmtpServer]:
    """A fresh SMTP server on 127.0.0.1 (free port) for one test; stopped afterwards."""
    with SmtpServer() as server:
        yield server
