"""Notifications in the site (the bell) and e-mail waiting to be sent (the outbox)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import FreeText, UTCDateTime, utcnow
from app.models.user import User


class Notification(db.Model):
    """Something a person should know about, with a link to where they act."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at"),
                      Index("ix_notification_digest", "delivery", "digested_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: gate_requested, gate_decided, idea_submitted, …
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(500))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: how the person wanted this kind: immediate (own e-mail), digest (the morning
    #: e-mail) or bell (no e-mail); see app.notifications.kinds
    delivery: Mapped[str] = mapped_column(String(10), default="immediate")
    #: when the morning digest that listed it was queued; None while it waits for one
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()


class NotificationPreference(db.Model):
    """How one person wants one topic of notifications delivered. No row: the topic's
    default (immediately for decisions asked of you, the daily digest for the rest)."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "topic", name="uq_notification_preference_user_topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: a key of app.notifications.kinds.TOPICS
    topic: Mapped[str] = mapped_column(String(32))
    #: immediate, digest or bell
    delivery: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OutboxMail(db.Model):
    """An e-mail, written in the same transaction as the change it reports and sent after
    the commit. A mail server that is down delays the mail; it never loses the decision."""

    __tablename__ = "outbox_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_addr: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: queued, sent, logged (demo: written to the log instead of sent), failed
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[FreeText]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: a sender holds the mail until then (set when claimed, cleared when done); another
    #: sender, on this server or another, leaves it alone
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
