"""The stakeholder analysis (interessentanalyse) and the communication plan
(informasjons- og kommunikasjonsplan)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.extensions import db
from app.models.base import CodeLabel, FreeText, ProjectRecord, Touched, UTCDateTime, utcnow
from app.models.project import Project
from app.models.user import User
from app.workflow.i18n import N_

#: the scale of interest and influence: value → Norwegian label
LEVELS = {3: N_("Høy"), 2: N_("Middels"), 1: N_("Lav")}

#: channels of communication: code → Norwegian label
CHANNELS = {
    "email": N_("E-post"),
    "intranet": N_("Intranett"),
    "meeting": N_("Møte"),
    "website": N_("Nettside"),
    "social": N_("Sosiale medier"),
    "letter": N_("Brev"),
    "other": N_("Annet"),
}

#: where an activity stands: code → Norwegian label
ACTIVITY_STATUSES = {"planned": N_("Planlagt"), "done": N_("Gjennomført"), "cancelled": N_("Avlyst")}


def approach(interest: int, influence: int) -> str:
    """The usual advice for a stakeholder in the interest × influence grid (a message id):
    high (3) on both axes, involve closely; high influence, keep satisfied; high interest,
    keep informed; the rest, monitor."""
    if influence >= 3 and interest >= 3:
        return N_("Involver tett")
    if influence >= 3:
        return N_("Hold fornøyd")
    if interest >= 3:
        return N_("Hold informert")
    return N_("Følg med")


class Stakeholder(ProjectRecord, Touched, db.Model):
    """A person, group or organisation that affects or is affected by the project."""

    __tablename__ = "stakeholder"

    #: the person, group or organisation, e.g. "Hjemmetjenesten", "Fagforbundet"
    name: Mapped[str] = mapped_column(String(200))
    #: interest in the project: 1 lav, 2 middels, 3 høy
    interest: Mapped[int] = mapped_column(Integer)
    #: influence on the project: 1 lav, 2 middels, 3 høy
    influence: Mapped[int] = mapped_column(Integer)
    #: expectations, concerns, how to involve them
    notes: Mapped[FreeText]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(backref=backref(
        "stakeholders", order_by="Stakeholder.id", cascade="all, delete-orphan", passive_deletes=True))

    interest_label = CodeLabel("interest", LEVELS, as_text=True)
    influence_label = CodeLabel("influence", LEVELS, as_text=True)

    @property
    def approach(self) -> str:
        return approach(self.interest, self.influence)


class CommunicationActivity(ProjectRecord, Touched, db.Model):
    """One planned activity of the communication plan: what, to whom, how, when, who."""

    __tablename__ = "communication_activity"

    #: what is communicated, e.g. "Informasjonsmøte om ny turnusløsning"
    what: Mapped[str] = mapped_column(String(300))
    #: to whom, as typed (kept when a linked stakeholder is deleted)
    audience: Mapped[str] = mapped_column(String(200), default="")
    #: the stakeholder the audience names, when it matches one
    stakeholder_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="SET NULL"), nullable=True, index=True)
    #: one of CHANNELS
    channel: Mapped[str] = mapped_column(String(12))
    #: when it happens
    planned_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True, index=True)
    #: one of ACTIVITY_STATUSES
    status: Mapped[str] = mapped_column(String(10), default="planned")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(backref=backref(
        "communication_activities", cascade="all, delete-orphan", passive_deletes=True,
        order_by=lambda: (CommunicationActivity.planned_on.asc().nulls_last(), CommunicationActivity.id)))
    stakeholder: Mapped[Stakeholder | None] = relationship()
    responsible: Mapped[User | None] = relationship(foreign_keys=[responsible_id])

    @property
    def audience_label(self) -> str:
        """To whom: the linked stakeholder's current name, else the text as typed."""
        return self.stakeholder.name if self.stakeholder is not None else self.audience

    channel_label = CodeLabel("channel", CHANNELS)
    status_label = CodeLabel("status", ACTIVITY_STATUSES)
