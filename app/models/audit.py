"""The audit log: every sign-in, change and decision, written in the same transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """One thing that happened. Rows are only ever inserted."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: who did it; empty for failed sign-ins by unknown names
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    #: the name as typed or known at the time (kept even if the user row changes)
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    #: dotted code, e.g. "auth.login", "gate.decide"
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64), default="")
    object_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the project the event belongs to, for the project's history tab
    project_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("User", lazy="joined")


class LoginAttempt(db.Model):
    """A sign-in attempt that failed or is being checked (app.auth.throttle).

    Successful attempts are not kept: only failures count against the limits.
    """

    __tablename__ = "login_attempt"
    #: the throttle counts one name's recent failures (migration 0012)
    __table_args__ = (Index("ix_login_attempt_username_at", "username", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(128), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    #: "pending" while the directory is being asked (counts as a failure), then "failed"
    state: Mapped[str] = mapped_column(String(10), default="failed")
