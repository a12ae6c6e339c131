"""Gate requests, the owner's decisions on them, and the hand-answered checklist items."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import FreeText, ProjectRecord, UTCDateTime, utcnow
from app.models.user import User

#: request statuses in which the owner still has to decide
OPEN_STATUSES = ("pending", "postponed")


class GateRequest(db.Model):
    """"Be om godkjenning": one request to pass a gate, with the checklist frozen as it stood."""

    __tablename__ = "gate_request"
    __table_args__ = (
        # At most one open request per project: a double click cannot open two.
        Index("uq_gate_request_one_open", "project_id", unique=True,
              sqlite_where=text("status IN ('pending', 'postponed')"),
              postgresql_where=text("status IN ('pending', 'postponed')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: bumped by every decision; a decision based on an older version is refused (409)
    version: Mapped[int] = mapped_column(default=1)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    #: BP1 … BP6
    gate: Mapped[str] = mapped_column(String(4))
    #: pending, postponed, approved, rejected, returned
    status: Mapped[str] = mapped_column(String(12), default="pending")
    summary: Mapped[FreeText]
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)  # "Mitt" (0011)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the checklist as it stood when the request was made (app.workflow snapshot)
    checklist_snapshot: Mapped[list] = mapped_column(JSON, default=list)
    #: while postponed: the owner will decide on or after this date
    postponed_until: Mapped[date | None] = mapped_column(Date, nullable=True)

    project = relationship("Project", back_populates="gate_requests")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decisions: Mapped[list[GateDecision]] = relationship(
        back_populates="request", order_by="GateDecision.decided_at", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def final_decision(self) -> GateDecision | None:
        return self.decisions[-1] if self.decisions else None


class GateDecision(db.Model):
    """The owner's decision on a request. Immutable: rows are only inserted."""

    __tablename__ = "gate_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("gate_request.id", ondelete="CASCADE"), index=True)
    #: approve, reject, return, postpone
    decision: Mapped[str] = mapped_column(String(10))
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[FreeText]
    postponed_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: the checklist as the owner saw it when deciding
    checklist_snapshot: Mapped[list] = mapped_column(JSON, default=list)

    request: Mapped[GateRequest] = relationship(back_populates="decisions")
    decided_by: Mapped[User] = relationship()


class ChecklistAnswer(ProjectRecord, db.Model):
    """A hand-answered checklist item: Ja / Nei / Ikke relevant, with a comment."""

    __tablename__ = "checklist_answer"
    __table_args__ = (UniqueConstraint("project_id", "gate", "item_key",
                                       name="uq_checklist_answer_item"),)

    gate: Mapped[str] = mapped_column(String(4))
    item_key: Mapped[str] = mapped_column(String(64))
    #: ja, nei, ikke_relevant
    value: Mapped[str] = mapped_column(String(16))
    comment: Mapped[FreeText]
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    answered_by: Mapped[User] = relationship()
