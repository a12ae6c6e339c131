"""Two servers running `flask reminders send` at the same moment send each reminder (and
each morning digest) once: the once-only key settles it in the database, on PostgreSQL
(row locks on the unique key) as on SQLite (one writer)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Notification, OutboxMail, SentReminder
from app.notifications.digest import send_digests
from app.reminders.runner import send_reminders
from tests.reminders.scenario import build, morning_after_tomorrow


def test_two_runs_at_once_send_each_reminder_once(app, db, users, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_STATUS_DAYS_BEFORE", 6)
    day, now = morning_after_tomorrow()
    build(users, day)
    _db.session.remove()
    start = threading.Barrier(2)
    results, errors = [], []

    def server():
        try:
            with app.app_context():
                start.wait(timeout=10)
                results.append((sum(send_reminders(now).values()), send_digests(now)))
                _db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=server) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    # Between them the two runs sent the seven reminders and four digests, each once.
    assert sum(r[0] for r in results) == 7 and sum(r[1] for r in results) == 4
    notes = _db.session.execute(select(Notification.kind, Notification.user_id, Notification.url)).all()
    assert len(notes) == len(set(notes)) == 7
    assert _db.session.scalar(select(func.count(SentReminder.id))) == 11
    mails = _db.session.execute(select(OutboxMail.to_addr, OutboxMail.subject)).all()
    assert len(mails) == len(set(mails)) == 5  # the owner's reminder at once, four digests
