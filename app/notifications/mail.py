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

The SMTP side is in `smtp.py`; the thread that runs this after a request, in
`background.py`.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import OutboxMail
from app.models.base import utcnow
from app.notifications.smtp import ConnectFailed, MailSettings, Outgoing, SMTPConnection, deliver, is_permanent

log = logging.getLogger(__name__)

#: the longest wait between two attempts, however many have failed
MAX_RETRY_DELAY = timedelta(hours=6)
#: how much of last_error is kept
ERROR_MAX = 1000


@dataclass
class SendReport:
    """What one run did. `retrying`: failed this time, will be tried again later;
    `waiting`: queued but not yet due (backing off); `failed`: given up on this run."""

    sent: int = 0
    logged: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0


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
        settings = MailSettings.from_config(app.config)
        now = now or utcnow()
        connection = SMTPConnection(settings) if settings.server else None
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
                        deliver(connection, settings, mail)
                    except ConnectFailed as exc:
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


def _claim(session: Session, mail_id: int, seen_attempts: int, lease: timedelta) -> Outgoing | None:
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
    mail = Outgoing(id=row.id, attempt=seen_attempts + 1, to_addr=row.to_addr,
                     to_name=row.to_name, subject=row.subject, body=row.body,
                     created_at=row.created_at)
    session.commit()
    session.expunge_all()
    return mail


def _finish(session: Session, mail: Outgoing, status: str) -> None:
    _write(session, update(OutboxMail)
           .where(OutboxMail.id == mail.id, OutboxMail.status == "queued")
           .values(status=status, sent_at=utcnow(), last_error="", claimed_until=None)
           .execution_options(synchronize_session=False))


def _record_failure(session: Session, mail: Outgoing, exc: BaseException,
                    settings: MailSettings, report: SendReport, *,
                    may_be_permanent: bool = True) -> None:
    error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    permanent = may_be_permanent and is_permanent(exc)
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


def _write_to_log(mail: Outgoing) -> None:
    log.info("mail not sent (MAIL_SERVER is empty), written to the log instead.\n"
             "To: %s <%s>\nSubject: %s\n\n%s", mail.to_name, mail.to_addr, mail.subject,
             mail.body)


