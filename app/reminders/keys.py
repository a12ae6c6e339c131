"""The once-only key of a reminder (app.models.SentReminder), claimed in the caller's
transaction with INSERT … ON CONFLICT DO NOTHING.

On PostgreSQL a second transaction inserting the same key waits for the first one's
commit and then inserts nothing; on SQLite the database's single writer does the same.
Either way exactly one run sends the reminder, however many run at once.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import SentReminder
from app.models.base import utcnow


def claim(kind: str, subject_id: int, period: str, user_id: int) -> bool:
    """Take the key in this transaction; False when someone already has it."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (insert(SentReminder)
            .values(kind=kind, subject_id=subject_id, period=period[:40], user_id=user_id,
                    sent_at=utcnow())
            .on_conflict_do_nothing(index_elements=["kind", "subject_id", "period", "user_id"])
            .returning(SentReminder.id))
    # RETURNING rather than rowcount: the drivers disagree on the rowcount of a skipped insert.
    return db.session.execute(stmt).first() is not None


def taken(kind: str, subject_ids: Iterable[int]) -> set[tuple[int, str, int]]:
    """(subject_id, period, user_id) keys of `kind` already sent for these subjects: lets
    a run skip what is done without trying to write it (cron runs every few minutes)."""
    ids = sorted(set(subject_ids))
    found: set[tuple[int, str, int]] = set()
    for i in range(0, len(ids), 500):
        found.update(tuple(row) for row in db.session.execute(
            select(SentReminder.subject_id, SentReminder.period, SentReminder.user_id)
            .where(SentReminder.kind == kind, SentReminder.subject_id.in_(ids[i:i + 500]))))
    return found
