"""What `flask reminders send` has already sent: one row per reminder, period and person.

The unique key is the whole guarantee that a reminder goes out once: a run inserts the
row (INSERT … ON CONFLICT DO NOTHING) in the same transaction as the notification, so a
second run, or a second server running at the same moment, finds the key taken and
sends nothing. The morning digest uses the same table (kind "digest", one per day).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class SentReminder(db.Model):
    """One reminder sent to one person for one period of one thing."""

    __tablename__ = "sent_reminder"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "period", "user_id",
                                       name="uq_sent_reminder_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: reminder_gate, reminder_status, reminder_milestone, reminder_measurement,
    #: reminder_dpia, or digest
    kind: Mapped[str] = mapped_column(String(32))
    #: the id of what it is about (gate request, project, milestone, benefit, person)
    subject_id: Mapped[int] = mapped_column()
    #: which period: "2026-03" for March's status report, "3" for the third round of a
    #: waiting gate request, the due date of a measurement, the day of a digest …
    period: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
