"""The loopback SMTP server receives real mail and can be taken down and up again."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest

from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401 - the fixture


def _send(server: SmtpServer, to: list[str], subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"] = "Faseport <faseport@kommune.no>"
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(server.host, server.port, timeout=5) as client:
        client.send_message(msg)


def test_receives_a_mail_with_envelope_and_norwegian_text(smtp_server):
    assert smtp_server.host == "127.0.0.1" and smtp_server.port > 0
    _send(smtp_server, ["ida@kommune.no", "ola@kommune.no"],
          "Søknad om fase 2 er godkjent", "Hei Ida,\nporten «Planlegging» er åpnet.\n")

    [mail] = smtp_server.wait_for(1)
    assert mail.mail_from == "faseport@kommune.no"
    assert mail.rcpt_tos == ["ida@kommune.no", "ola@kommune.no"]
    assert mail.subject == "Søknad om fase 2 er godkjent"
    assert mail.message["To"] == "ida@kommune.no, ola@kommune.no"
    assert "porten «Planlegging» er åpnet." in mail.text()
    assert smtp_server.messages == [mail]


def test_wait_for_fails_with_what_arrived(smtp_server):
    _send(smtp_server, ["ida@kommune.no"], "Bare én", "x")
    with pytest.raises(AssertionError, match=r"expected 2 mail\(s\).*got 1.*Bare én"):
        smtp_server.wait_for(2, timeout=0.3)


def test_stopped_server_refuses_connections_and_comes_back_on_the_same_port(smtp_server):
    port = smtp_server.port
    smtp_server.stop()
    assert not smtp_server.running
    with pytest.raises(OSError):  # ConnectionRefusedError: what the app sees when mail is down
        smtplib.SMTP(smtp_server.host, port, timeout=2)

    smtp_server.start()
    assert smtp_server.port == port
    _send(smtp_server, ["ida@kommune.no"], "Igjen", "oppe igjen")
    assert [m.subject for m in smtp_server.wait_for(1)] == ["Igjen"]


def test_app_config_points_at_the_server(smtp_server):
    config = smtp_server.app_config()
    assert (config["MAIL_SERVER"], config["MAIL_PORT"]) == (smtp_server.host, smtp_server.port)
