"""Shared column helpers for the models, and the mixins of the columns many tables share."""
from datetime import datetime, timezone
from typing import Annotated

from sqlalchemy import DateTime, ForeignKey, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
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


#: a text a person writes (a description, a comment, a section of the plan): any length, never
#: NULL, empty until written. `note: Mapped[FreeText]` (SQLAlchemy's annotated declaration).
FreeText = Annotated[str, mapped_column(Text, default="")]


class Versioned:
    """A row people edit: its id and an optimistic lock (SQLAlchemy's `version_id_col`),
    so that a save based on an older version is refused (409) instead of overwriting."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-3)
    #: optimistic lock: a save based on an older version is refused (409)
    version: Mapped[int] = mapped_column(default=1, sort_order=-2)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}


class ProjectRecord(Versioned):
    """One of a project's records (a risk, a milestone …): deleted with the project, and
    found by project through the index."""

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True,
                                            sort_order=-1)


class OnePerProject(Versioned):
    """A record a project has at most one of (its plan, its ITPOSMO assessment …)."""

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), unique=True,
                                            sort_order=-1)


class Touched:
    """When the row last changed (kept by SQLAlchemy on every UPDATE)."""

    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, sort_order=1)


class CodeLabel:
    """A read-only attribute with the Norwegian label (a message id: translate it where it
    is shown) of a coded column, from its table: `kind_label = CodeLabel("kind", RISK_KINDS)`.
    A code the table does not know shows as stored (`as_text`: as text)."""

    def __init__(self, column: str, labels: dict, *, as_text: bool = False):
        self.column, self.labels, self.as_text = column, labels, as_text

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = getattr(obj, self.column)
        return self.labels.get(value, str(value) if self.as_text else value)
