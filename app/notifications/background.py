"""Sending the outbox after the request has committed: notify() notes that a request
queued mail, and once the request is finished a daemon thread runs
`app.notifications.mail.send_pending`."""
from __future__ import annotations

import logging
import os
import threading

from flask import Flask, Response, g, has_request_context, request_finished

from app.notifications.mail import send_pending

#: the outbox's one log (app.notifications.mail), whichever module writes to it
log = logging.getLogger("app.notifications.mail")

#: `g` flag set by notify(): this request queued mail
_QUEUED_FLAG = "_faseport_mail_queued"
#: key in app.extensions for the background sender
_EXTENSION = "faseport_mail"


def note_queued() -> None:
    """Called by notify(): this request has mail to send once it has committed."""
    if has_request_context():
        setattr(g, _QUEUED_FLAG, True)


class BackgroundSender:
    """Runs `send_pending` in a daemon thread. Kicks that arrive while a run is going on
    are folded into one more run, so a burst of requests starts one thread, not many."""

    def __init__(self, app: Flask):
        self.app = app
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._pid = os.getpid()
        self.thread: threading.Thread | None = None

    def kick(self) -> None:
        with self._lock:
            if self._pid != os.getpid():  # forked (gunicorn): the parent's thread is gone
                self._pid, self._running, self._again = os.getpid(), False, False
            if self._running:
                self._again = True
                return
            self._running = True
        thread = threading.Thread(target=self._run, name="faseport-mail", daemon=True)
        self.thread = thread
        try:
            thread.start()
        except RuntimeError:  # cannot start a thread: leave it for `flask mail send`
            log.exception("could not start the mail thread")
            with self._lock:
                self._running = False

    def join(self, timeout: float | None = None) -> None:
        """Wait for the current run (tests)."""
        if self.thread is not None:
            self.thread.join(timeout)

    def _run(self) -> None:
        while True:
            try:
                send_pending(self.app)
            except Exception:  # noqa: BLE001 - a daemon thread must not die silently
                log.exception("sending mail in the background failed")
            with self._lock:
                if not self._again:
                    self._running = False
                    return
                self._again = False


def _after_request(sender: Flask, response: Response, **extra) -> None:
    """request_finished: the commit has happened (or been rolled back on a 5xx)."""
    if not g.get(_QUEUED_FLAG) or response.status_code >= 500:
        return
    if sender.config["MAIL_SEND_IN_BACKGROUND"]:
        sender.extensions[_EXTENSION].kick()


def init_app(app: Flask) -> None:
    """Defaults for the settings config.py does not have yet, and the after-commit hook."""
    #: send right after the request (off in tests, which call send_pending themselves)
    app.config.setdefault("MAIL_SEND_IN_BACKGROUND", not app.testing)
    #: the first wait before a failed mail is tried again; doubles after every failure
    app.config.setdefault("MAIL_RETRY_SECONDS", 300)
    app.extensions[_EXTENSION] = BackgroundSender(app)
    # weak=False: blinker holds receivers weakly by default, and this function is
    # module-level but the connection must live as long as the app.
    request_finished.connect(_after_request, app, weak=False)


def background_sender(app: Flask) -> BackgroundSender:
    return app.extensions[_EXTENSION]
