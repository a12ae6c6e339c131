"""Shared column helpers for the models."""
from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A datetime stored in UTC that always comes back timezone-aware.

    SQLite drops the offset; PostgreSQL keeps it. This type makes both behave the same.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use utcnow()")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value
