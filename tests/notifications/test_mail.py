"""Sending the outbox: to the log in the demo, to a real SMTP server on loopback, with
retries, back-off, giving up, the background thread and `flask mail send`."""
from __future__ import annotations

import logging
import shutil
import socket
import ssl
import subprocess
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Response, request_finished

from app.extensions import db as _db
from app.models.base import utcnow
from app.notifications.background import background_sender
from app.notifications.mail import next_attempt_at, send_pending
from app.notifications.services import notify
from tests.notifications.helpers import outbox
from tests.support.ci_guard import require
from tests.support.factories import make_user

TEXT = "Ola Nordmann ber deg godkjenne BP2 for «Velferdsteknologi i hjemmetjenesten»"
SUBJECT = "Godkjenn BP2: «Velferdsteknologi i hjemmetjenesten»"
URL = "/projects/7/gates/2"
MAIL_LOG = "app.notifications.mail"


def queue_mail(user, subject=SUBJECT, url=URL):
    """What a request does: notify, then its single commit."""
    notify(user, "gate_requested", TEXT, url, mail_subject=subject,
           mail_body="Prosjektet ber om beslutning ved BP2: skal planleggingen starte?")
    _db.session.commit()


def later(minutes: int):
    return utcnow() + timedelta(minutes=minutes)


# --- no mail server: the log ----------------------------------------------------------
def test_without_mail_server_mail_is_written_to_the_log(app, db, users, caplog):
    assert app.config["MAIL_SERVER"] == ""
    caplog.set_level(logging.INFO, logger=MAIL_LOG)
    queue_mail(users["ida"])
    report = send_pending(app)
    assert report.logged == 1 and report.sent == 0
    [mail] = outbox()
    assert mail.status == "logged" and mail.sent_at is not None
    logged = "\n".join(r.getMessage() for r in caplog.records
                       if r.name == MAIL_LOG and r.levelno == logging.INFO)
    assert SUBJECT in logged
    assert "ida@demo.kommune.no" in logged
    assert app.config["BASE_URL"].rstrip("/") + URL in logged
    assert send_pending(app).logged == 0  # logged once, not again


# --- a real SMTP server ---------------------------------------------------------------
def test_delivers_to_the_mail_server_with_link_and_norwegian_text(app, db, users, mail_server):
    queue_mail(users["ida"])
    report = send_pending(app)
    assert report.sent == 1

    [received] = mail_server.wait_for(1)
    msg = received.message
    assert received.rcpt_tos == ["ida@demo.kommune.no"]
    assert received.mail_from == "faseport@kommune.no"
    assert msg["To"] == "Ida Berg <ida@demo.kommune.no>"
    assert msg["From"] == app.config["MAIL_FROM"]
    assert received.subject == SUBJECT  # æøå and «» survive the trip
    assert msg.get_content_charset() == "utf-8"
    assert msg["Message-ID"] and msg["Date"] and msg["Auto-Submitted"] == "auto-generated"
    body = received.text().replace("\r\n", "\n")
    assert body.startswith("Hei Ida Berg,")
    assert "Prosjektet ber om beslutning ved BP2" in body
    assert app.config["BASE_URL"].rstrip("/") + URL in body
    assert "\nFaseport\n" in body

    [mail] = outbox()
    assert (mail.status, mail.attempts, mail.last_error) == ("sent", 1, "")
    assert mail.sent_at is not None
    assert send_pending(app).sent == 0  # sent once only
    assert len(mail_server.messages) == 1


def test_unreachable_server_keeps_the_mail_queued_and_delivers_it_later(app, db, users, mail_server):
    mail_server.stop()  # the port now refuses connections
    queue_mail(users["ida"])

    report = send_pending(app)
    assert report.retrying == 1 and report.sent == 0
    [mail] = outbox()
    assert (mail.status, mail.attempts) == ("queued", 1)
    assert "Connection" in mail.last_error or "refused" in mail.last_error.lower()

    # Back-off: a run straight after does not hammer the server.
    mail_server.start()
    assert send_pending(app).waiting == 1
    assert outbox()[0].attempts == 1
    assert mail_server.messages == []

    # Once the wait is over the mail goes out.
    due = next_attempt_at(mail.created_at, 1, app.config["MAIL_RETRY_SECONDS"])
    report = send_pending(app, now=due + timedelta(seconds=1))
    assert report.sent == 1
    [received] = mail_server.wait_for(1)
    assert received.subject == SUBJECT
    [mail] = outbox()
    assert (mail.status, mail.attempts) == ("sent", 2)


def test_a_down_server_costs_one_attempt_per_run_not_one_per_mail(app, db, users, mail_server):
    mail_server.stop()
    for _ in range(3):
        queue_mail(users["ida"])
    send_pending(app)
    assert sorted(m.attempts for m in outbox()) == [0, 0, 1]


def test_gives_up_after_max_attempts_and_reports_it(app, db, users, mail_server, monkeypatch,
                                                    caplog):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    mail_server.stop()
    queue_mail(users["ida"])
    for minutes in (0, 60, 24 * 60):
        send_pending(app, now=later(minutes))
    [mail] = outbox()
    assert (mail.status, mail.attempts) == ("failed", 3)
    assert mail.last_error
    errors = [r for r in caplog.records if r.name == MAIL_LOG and r.levelno == logging.ERROR]
    assert len(errors) == 1 and "3 of 3" in errors[0].getMessage()

    mail_server.start()
    assert send_pending(app, now=later(7 * 24 * 60)).sent == 0  # failed stays failed
    assert mail_server.messages == []


def test_backoff_doubles():
    from datetime import datetime, timezone

    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    waits = [next_attempt_at(start, n, 300) - start for n in range(5)]
    assert waits == [timedelta(0), timedelta(minutes=5), timedelta(minutes=15),
                     timedelta(minutes=35), timedelta(minutes=75)]


def test_concurrent_runs_send_each_mail_once(app, db, users, mail_server):
    for _ in range(6):
        queue_mail(users["ida"])
    runs = [threading.Thread(target=send_pending, args=(app,)) for _ in range(3)]
    for t in runs:
        t.start()
    for t in runs:
        t.join(30)
    mail_server.wait_for(6)
    assert len(mail_server.messages) == 6
    assert {m.status for m in outbox()} == {"sent"}
    assert all(m.attempts == 1 for m in outbox())


# --- servers that say no --------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self):
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("ukjent@"):
            return "550 5.1.1 Ukjent mottaker"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture()
def strict_server(app, monkeypatch):
    """A loopback server that refuses ukjent@… and wants AUTH as faseport/hemmelig."""
    handler = _Handler()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and \
            (auth_data.login, auth_data.password) == (b"faseport", b"hemmelig")
        return AuthResult(success=ok, handled=False)  # handled=False: send the 535 reply

    controller = Controller(handler, hostname="127.0.0.1", port=_free_port(),
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port,
                       "MAIL_USE_TLS": False, "MAIL_USERNAME": "faseport",
                       "MAIL_PASSWORD": "hemmelig"}.items():
        monkeypatch.setitem(app.config, key, value)
    yield handler
    controller.stop()


def test_logs_in_when_a_username_is_set(app, db, users, strict_server):
    queue_mail(users["ida"])
    assert send_pending(app).sent == 1
    assert [e.rcpt_tos for e in strict_server.envelopes] == [["ida@demo.kommune.no"]]


def test_wrong_password_keeps_the_mail_queued(app, db, users, strict_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "feil")
    queue_mail(users["ida"])
    assert send_pending(app).retrying == 1
    [mail] = outbox()
    assert (mail.status, mail.attempts) == ("queued", 1)
    assert "SMTPAuthenticationError" in mail.last_error
    assert strict_server.envelopes == []


def test_a_refused_recipient_fails_at_once_and_the_others_still_go(app, db, users, strict_server,
                                                                    caplog):
    unknown = make_user("ukjent", display_name="Ukjent Person", email="ukjent@demo.kommune.no")
    queue_mail(unknown)
    queue_mail(users["ida"])
    report = send_pending(app)
    assert (report.failed, report.sent) == (1, 1)
    by_addr = {m.to_addr: m for m in outbox()}
    assert by_addr["ukjent@demo.kommune.no"].status == "failed"
    assert "550" in by_addr["ukjent@demo.kommune.no"].last_error
    assert by_addr["ida@demo.kommune.no"].status == "sent"
    assert any(r.levelno == logging.ERROR for r in caplog.records if r.name == MAIL_LOG)


def test_starttls_with_a_certificate_the_client_trusts(app, db, users, monkeypatch, tmp_path):
    require(shutil.which("openssl"), "openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    handler = _Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port(),
                            tls_context=server_tls, require_starttls=True)
    controller.start()
    try:
        # The app verifies the server against the default trust store; trust our CA.
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        for key_, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port,
                            "MAIL_USE_TLS": True}.items():
            monkeypatch.setitem(app.config, key_, value)
        queue_mail(users["ida"])
        assert send_pending(app).sent == 1
        assert [e.rcpt_tos for e in handler.envelopes] == [["ida@demo.kommune.no"]]
    finally:
        controller.stop()


def test_starttls_required_but_not_offered_keeps_the_mail_queued(app, db, users, mail_server,
                                                                 monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", True)
    queue_mail(users["ida"])
    assert send_pending(app).retrying == 1
    [mail] = outbox()
    assert (mail.status, mail.attempts) == ("queued", 1)  # a server fix, not a bad mail
    assert "STARTTLS" in mail.last_error
    assert mail_server.messages == []


# --- after the request's commit -------------------------------------------------------
def test_tests_do_not_send_in_the_background_by_default(app):
    assert app.config["MAIL_SEND_IN_BACKGROUND"] is False


@pytest.mark.parametrize("status,delivered", [(200, True), (303, True), (500, False)])
def test_mail_goes_out_in_the_background_after_the_request(app, db, users, mail_server,
                                                           monkeypatch, status, delivered):
    monkeypatch.setitem(app.config, "MAIL_SEND_IN_BACKGROUND", True)
    sender = background_sender(app)
    sender.thread = None
    with app.test_request_context("/"):
        queue_mail(users["ida"])  # sets the request's "mail queued" flag
        # What Flask does after the after_request functions (the commit) have run:
        request_finished.send(app, response=Response(status=status))
    if delivered:
        [received] = mail_server.wait_for(1, timeout=10)
        assert received.subject == SUBJECT
        sender.join(10)
        assert outbox()[0].status == "sent"
    else:
        assert sender.thread is None  # a rolled-back request starts nothing
        assert outbox()[0].status == "queued"


def test_requests_without_mail_start_no_thread(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SEND_IN_BACKGROUND", True)
    sender = background_sender(app)
    sender.thread = None
    with app.test_request_context("/"):
        request_finished.send(app, response=Response(status=200))
    assert sender.thread is None


# --- flask mail send ------------------------------------------------------------------
def test_cli_sends_pending_mail(app, db, users, mail_server):
    queue_mail(users["ida"])
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "Sendt: 1." in result.output
    mail_server.wait_for(1)


def test_cli_exits_non_zero_when_a_mail_is_given_up(app, db, users, mail_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)
    mail_server.stop()
    queue_mail(users["ida"])
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 1
    assert "Feilet: 1." in result.output
