"""Small helpers shared by the notification tests."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db as _db
from app.models import Notification, OutboxMail


def outbox() -> list[OutboxMail]:
    """Every outbox row as the database has it now (not as the test's session remembers)."""
    _db.session.expire_all()
    return list(_db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def notifications() -> list[Notification]:
    """Every notification as the database has it now."""
    _db.session.expire_all()
    return list(_db.session.scalars(select(Notification).order_by(Notification.id)))
