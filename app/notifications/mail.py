"""Sending the outbox.

Mail rows are written by `notify()` inside the request's transaction. After that request
has committed (Flask's `request_finished` signal fires after every `after_request`
function, the commit in app/transactions.py included), a daemon thread sends what is due,
so a slow or broken mail server never slows a request down nor loses a decision.
`flask mail send` (for cron) does the same from the command line and retries mail that
failed earlier.

Every run uses its own app context and its own database session, and keeps transactions
short: it claims one mail (a single UPDATE, committed), talks to the SMTP server outside
any transaction, then records the outcome (another short UPDATE). That keeps SQLite's
single writer free while the network is slow.

Retries back off: a mail that failed `n` times is tried again no earlier than
`created_at + sum(delay(1..n))`, where delay(k) = MAIL_RETRY_SECONDS * 2**(k-1), capped
at MAX_RETRY_DELAY. After MAIL_MAX_ATTEMPTS failures the mail is `failed` and an ERROR is
logged. With MAIL_SERVER empty (the demo) mail is not sent but written to the log at
INFO and marked `logged`.
"""
from __future__ import annotations

import logging
import os
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import Flask, Response, g, has_request_context, request_finished
from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import OutboxMail
from app.models.base import utcnow

log = logging.getLogger(__name__)

#: the longest wait between two attempts, however many have failed
MAX_RETRY_DELAY = timedelta(hours=6)
#: how much of last_error is kept
ERROR_MAX = 1000
#: `g` flag set by notify(): this request queued mail
_QUEUED_FLAG = "_faseport_mail_queued"
#: key in app.extensions for the background sender
_EXTENSION = "faseport_mail"


@dataclass
class SendReport:
    """What one run did. `retrying`: failed this time, will be tried again later;
    `waiting`: queued but not yet due (backing off); `failed`: given up on this run."""

    sent: int = 0
    logged: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0


@dataclass(frozen=True)
class _Outgoing:
    """A claimed mail, copied out of the session so no ORM object crosses the network."""

    id: int
    attempt: int  # the number of this attempt (attempts after the claim)
    to_addr: str
    to_name: str
    subject: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class _Settings:
    server: str
    port: int
    use_tls: bool
    username: str
    password: str
    sender: str
    timeout: float
    max_attempts: int
    retry_seconds: int

    @classmethod
    def from_config(cls, config) -> _Settings:
        return cls(
            server=config["MAIL_SERVER"], port=int(config["MAIL_PORT"]),
            use_tls=bool(config["MAIL_USE_TLS"]), username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"], sender=config["MAIL_FROM"],
            timeout=float(config["MAIL_TIMEOUT"]),
            max_attempts=max(1, int(config["MAIL_MAX_ATTEMPTS"])),
            retry_seconds=int(config["MAIL_RETRY_SECONDS"]),
        )

    @property
    def lease(self) -> timedelta:
        """How long a claimed mail is left alone by other senders: room for a slow server."""
        return timedelta(seconds=max(120.0, self.timeout * 6))


class _ConnectFailed(Exception):
    """The SMTP server could not be reached or refused our login: the run stops."""

    def __init__(self, cause: BaseException):
        super().__init__(str(cause))
        self.cause = cause


# --- the schedule -----------------------------------------------------------------------
def retry_delay(failures: int, base_seconds: int) -> timedelta:
    """How long to wait after the `failures`-th failed attempt (1, 2, 4, 8 … × base)."""
    if failures <= 0:
        return timedelta(0)
    return min(timedelta(seconds=base_seconds * 2 ** (failures - 1)), MAX_RETRY_DELAY)


def next_attempt_at(created_at: datetime, attempts: int, base_seconds: int) -> datetime:
    """When a queued mail with `attempts` failed attempts may be tried again.

    Counted from `created_at` because the outbox has no column for the last attempt's
    time; with a regular cron run this gives the same spacing.
    """
    return created_at + sum((retry_delay(k, base_seconds) for k in range(1, attempts + 1)),
                            timedelta(0))


# --- sending ----------------------------------------------------------------------------
def send_pending(app: Flask, *, now: datetime | None = None, ignore_backoff: bool = False,
                 limit: int = 100) -> SendReport:
    """Send (or, without MAIL_SERVER, log) every queued mail that is due. Synchronous.

    Used by the background thread, by `flask mail send` and by the tests. Pushes its own
    app context and opens its own session, so it never touches a request's transaction.
    `now` lets tests move the clock; `ignore_backoff` tries every queued mail at once.
    """
    report = SendReport()
    with app.app_context():
        settings = _Settings.from_config(app.config)
        now = now or utcnow()
        connection = _SMTPConnection(settings) if settings.server else None
        with Session(db.engine, expire_on_commit=False) as session:
            try:
                for row in _candidates(session, limit):
                    if report.sent + report.logged + report.retrying + report.failed >= limit:
                        break
                    if row.attempts >= settings.max_attempts:
                        # MAIL_MAX_ATTEMPTS was lowered since this mail last failed.
                        if _give_up(session, row.id, row.attempts, row.last_error or "",
                                    settings.max_attempts):
                            report.failed += 1
                        continue
                    due = next_attempt_at(row.created_at, row.attempts, settings.retry_seconds)
                    if not ignore_backoff and now < due:
                        report.waiting += 1
                        continue
                    mail = _claim(session, row.id, row.attempts, settings.lease)
                    if mail is None:
                        continue  # another sender got it first
                    if connection is None:
                        _write_to_log(mail)
                        _finish(session, mail, "logged")
                        report.logged += 1
                        continue
                    try:
                        _deliver(connection, settings, mail)
                    except _ConnectFailed as exc:
                        # Never permanent: a certificate or login problem is fixed on
                        # the server side, and the mail should go out once it is.
                        _record_failure(session, mail, exc.cause, settings, report,
                                        may_be_permanent=False)
                        break  # the server is unreachable: the rest waits for the next run
                    except Exception as exc:  # noqa: BLE001 - every failure is recorded
                        _record_failure(session, mail, exc, settings, report)
                    else:
                        _finish(session, mail, "sent")
                        report.sent += 1
            finally:
                if connection is not None:
                    connection.close()
    if report.sent or report.logged or report.retrying or report.failed:
        log.info("outbox run: %s", report)
    return report


def _candidates(session: Session, limit: int) -> list:
    """Queued mail, the least-tried first so one stubborn mail cannot block the rest."""
    rows = session.execute(
        select(OutboxMail.id, OutboxMail.attempts, OutboxMail.created_at, OutboxMail.last_error)
        .where(OutboxMail.status == "queued", _unclaimed(utcnow()))
        .order_by(OutboxMail.attempts, OutboxMail.created_at, OutboxMail.id)
        .limit(limit * 5)
    ).all()
    session.rollback()  # end the read transaction before any network work
    return rows


def _unclaimed(now: datetime):
    return or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now)


def _claim(session: Session, mail_id: int, seen_attempts: int, lease: timedelta) -> _Outgoing | None:
    """Take the mail for this sender: count the attempt and hold a lease on it, but only if
    no other sender has touched it since we read it. PostgreSQL locks the row first and
    skips it when another sender holds the lock (SKIP LOCKED); on SQLite the conditional
    UPDATE alone decides. Committed at once: the claim is visible before we talk to the
    mail server."""
    now = utcnow()
    try:
        locked = session.execute(
            select(OutboxMail.id).where(OutboxMail.id == mail_id, OutboxMail.status == "queued",
                                        OutboxMail.attempts == seen_attempts, _unclaimed(now))
            .with_for_update(skip_locked=True)).scalar_one_or_none()
    except OperationalError:
        session.rollback()
        return None
    if locked is None:
        session.rollback()
        return None
    result = _write(session, update(OutboxMail)
                    .where(OutboxMail.id == mail_id, OutboxMail.status == "queued",
                           OutboxMail.attempts == seen_attempts, _unclaimed(now))
                    .values(attempts=seen_attempts + 1, claimed_until=now + lease)
                    .execution_options(synchronize_session=False),
                    commit=False)
    if result is None or result.rowcount != 1:
        session.rollback()
        return None
    row = session.execute(select(OutboxMail).where(OutboxMail.id == mail_id)).scalar_one()
    mail = _Outgoing(id=row.id, attempt=seen_attempts + 1, to_addr=row.to_addr,
                     to_name=row.to_name, subject=row.subject, body=row.body,
                     created_at=row.created_at)
    session.commit()
    session.expunge_all()
    return mail


def _finish(session: Session, mail: _Outgoing, status: str) -> None:
    _write(session, update(OutboxMail)
           .where(OutboxMail.id == mail.id, OutboxMail.status == "queued")
           .values(status=status, sent_at=utcnow(), last_error="", claimed_until=None)
           .execution_options(synchronize_session=False))


def _record_failure(session: Session, mail: _Outgoing, exc: BaseException,
                    settings: _Settings, report: SendReport, *,
                    may_be_permanent: bool = True) -> None:
    error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    permanent = may_be_permanent and _is_permanent(exc)
    if permanent or mail.attempt >= settings.max_attempts:
        if _give_up(session, mail.id, mail.attempt, error, settings.max_attempts,
                    permanent=permanent):
            report.failed += 1
        return
    _write(session, update(OutboxMail)
           .where(OutboxMail.id == mail.id, OutboxMail.status == "queued",
                  OutboxMail.attempts == mail.attempt)
           .values(last_error=error, claimed_until=None)
           .execution_options(synchronize_session=False))
    report.retrying += 1
    log.warning("mail %s to %s not sent (attempt %d of %d), will retry: %s",
                mail.id, mail.to_addr, mail.attempt, settings.max_attempts, error)


def _give_up(session: Session, mail_id: int, attempts: int, error: str, max_attempts: int,
             *, permanent: bool = False) -> bool:
    """Mark the mail failed and report it in the log at ERROR."""
    result = _write(session, update(OutboxMail)
                    .where(OutboxMail.id == mail_id, OutboxMail.status == "queued")
                    .values(status="failed", last_error=error, claimed_until=None)
                    .execution_options(synchronize_session=False))
    if result is None or result.rowcount != 1:
        return False
    reason = "refused permanently" if permanent else f"gave up after {attempts} of {max_attempts} attempts"
    log.error("mail %s could not be delivered (%s): %s", mail_id, reason, error)
    return True


def _write(session: Session, stmt, *, commit: bool = True, tries: int = 3):
    """Run one short write; SQLite may be busy with another writer, so try a few times."""
    for attempt in range(1, tries + 1):
        try:
            result = session.execute(stmt)
            if commit:
                session.commit()
            return result
        except OperationalError:
            session.rollback()
            if attempt == tries:
                log.exception("outbox: database busy, giving up this update")
                return None
            time.sleep(0.2 * attempt)
        except SQLAlchemyError:
            session.rollback()
            log.exception("outbox: database error")
            return None
    return None


def _is_permanent(exc: BaseException) -> bool:
    """Failures that a retry cannot fix: every recipient refused with a 5xx code, the
    message refused with 5xx, or a mail that cannot even be built (bad address)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return True
    return isinstance(exc, (ValueError, TypeError, UnicodeError, MessageError))


def _write_to_log(mail: _Outgoing) -> None:
    log.info("mail not sent (MAIL_SERVER is empty), written to the log instead.\n"
             "To: %s <%s>\nSubject: %s\n\n%s", mail.to_name, mail.to_addr, mail.subject,
             mail.body)


def build_message(mail: _Outgoing, sender: str) -> EmailMessage:
    """A UTF-8 plain-text mail with Norwegian subject and body."""
    msg = EmailMessage()
    msg["Subject"] = mail.subject
    msg["From"] = sender
    msg["To"] = Address(display_name=mail.to_name, addr_spec=mail.to_addr)
    msg["Date"] = format_datetime(utcnow())
    domain = parseaddr(sender)[1].rpartition("@")[2] or "faseport.invalid"
    # The same id on every attempt, so a mail client can drop a duplicate delivery.
    msg["Message-ID"] = f"<outbox.{mail.id}.{int(mail.created_at.timestamp())}@{domain}>"
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    msg.set_content(mail.body, charset="utf-8", cte="quoted-printable")
    return msg


def _deliver(connection: _SMTPConnection, settings: _Settings, mail: _Outgoing) -> None:
    message = build_message(mail, settings.sender)
    envelope_from = parseaddr(settings.sender)[1] or settings.sender
    smtp = connection.get()
    try:
        smtp.send_message(message, from_addr=envelope_from, to_addrs=[mail.to_addr])
    except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused,
            smtplib.SMTPNotSupportedError):
        raise  # the server answered and reset the transaction: the connection is fine
    except OSError:
        connection.reset()  # disconnected or timed out: the next mail opens a new one
        raise


class _SMTPConnection:
    """One SMTP session per run, opened on the first mail and reused for the rest."""

    def __init__(self, settings: _Settings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            s = self.settings
            try:
                smtp = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
            except OSError as exc:  # refused, timed out, unknown host, 4xx/5xx greeting
                raise _ConnectFailed(exc) from exc
            try:
                if s.use_tls:
                    smtp.starttls(context=ssl.create_default_context())
                if s.username:
                    smtp.login(s.username, s.password)
            except OSError as exc:
                _quietly_close(smtp)
                raise _ConnectFailed(exc) from exc
            self.smtp = smtp
        return self.smtp

    def reset(self) -> None:
        if self.smtp is not None:
            _quietly_close(self.smtp)
            self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except OSError:
                pass
            _quietly_close(self.smtp)
            self.smtp = None


def _quietly_close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.close()
    except OSError:
        pass


# --- after the commit -------------------------------------------------------------------
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
