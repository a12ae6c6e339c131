"""Change requests (endringsanmodninger): proposed by the prosjektleder, decided by the owner."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.extensions import db
from app.models.base import FreeText, ProjectRecord, Touched, UTCDateTime, utcnow
from app.models.user import User

#: the life of a change request: proposed → approved or rejected (labels: Foreslått,
#: Godkjent, Avvist). A decided request is part of the record and never changes again.
CHANGE_STATUSES = ("proposed", "approved", "rejected")


class ChangeRequest(ProjectRecord, Touched, db.Model):
    """A proposed change of the plan: what, why, and its effect on scope, time, cost and
    benefits, with the owner's decision. The owner's decision also moves its `version`
    on (a conditional UPDATE), so an edit based on the proposal as it was is refused."""

    __tablename__ = "change_request"
    __table_args__ = (Index("ix_change_request_project_status", "project_id", "status"),)

    #: a short name of the change ("Utsette pilot i Sone nord til mai")
    title: Mapped[str] = mapped_column(String(200))
    #: what is to change
    description: Mapped[FreeText]
    #: why the change is needed
    reason: Mapped[FreeText]
    #: effect on scope (omfang) and deliverables
    scope_effect: Mapped[FreeText]
    #: effect on time, e.g. "Milepæl 4 flyttes tre uker"
    time_effect: Mapped[FreeText]
    #: effect on cost in whole NOK: positive costs more, negative saves; None = not assessed
    cost_effect: Mapped[int | None] = mapped_column(nullable=True)
    #: effect on the benefits
    benefits_effect: Mapped[FreeText]

    #: proposed, approved or rejected (CHANGE_STATUSES)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: the owner's reasoning; required when rejecting
    decision_comment: Mapped[FreeText]

    project = relationship("Project", backref=backref(
        "change_requests", cascade="all, delete-orphan", passive_deletes=True,
        order_by=lambda: [ChangeRequest.proposed_at.desc(), ChangeRequest.id.desc()]))
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_open(self) -> bool:
        """Still waiting for the owner (and still editable by the proposer's side)."""
        return self.status == "proposed"

    def __repr__(self) -> str:
        return f"<ChangeRequest {self.id} {self.project_id} {self.status} {self.title!r}>"
