"""The project plan (prosjektplan) after the municipal template: its texts, goals, links to
related projects, and its milestones."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import FreeText, OnePerProject, ProjectRecord, Touched, UTCDateTime, utcnow
from app.models.user import User

#: kinds of goal: effektmål (why: the effect for users and society) and resultatmål (what
#: the project delivers within its lifetime)
GOAL_KINDS = ("effect", "result")


class ProjectPlan(OnePerProject, Touched, db.Model):
    """The texts of a project's plan: one row per project, created at the first save."""

    __tablename__ = "project_plan"

    #: "Bakgrunn"
    background: Mapped[FreeText]
    #: "Dagens situasjon"
    current_situation: Mapped[FreeText]
    #: "Nullalternativet": what happens if the project is not carried out
    zero_alternative: Mapped[FreeText]
    #: "Formål"
    purpose: Mapped[FreeText]
    #: "Avgrensninger": what the project does not cover
    scope_limits: Mapped[FreeText]
    #: "Grensesnitt": how the project relates to other work (links to projects are PlanLink)
    interfaces: Mapped[FreeText]
    #: "Brukermedvirkning / referansegruppe"
    user_involvement: Mapped[FreeText]
    #: "Alternativer som er vurdert": the concepts compared with the zero alternative
    alternatives: Mapped[FreeText]
    #: "Oppfølging og rapportering": who reports what to whom, how often
    reporting: Mapped[FreeText]
    #: "Endringsstyring": who proposes and who decides changes of the plan
    change_control: Mapped[FreeText]
    #: sluttrapport: "Måloppnåelse", how far the goals were reached
    goals_reached: Mapped[FreeText]
    #: sluttrapport: "Erfaringer", lessons learned
    lessons_learned: Mapped[FreeText]
    #: sluttrapport: "Overlevering til linjen", what the line takes over and who follows up
    handover: Mapped[FreeText]
    #: case number in the archive system, e.g. 2016/2821
    archive_ref: Mapped[str] = mapped_column(String(20), default="")
    #: total budget in whole NOK: the sum of the budget lines (economy tab) once there are any
    budget_nok: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: "Finansiering": sources, including grants (tilskudd)
    financing: Mapped[FreeText]
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: how often the prosjektleder reports status to the owner during execution: week,
    #: two_weeks, month or quarter (app.reminders.periods); "" = no fixed interval
    report_interval: Mapped[str] = mapped_column(String(10), default="month")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)

    updated_by: Mapped[User | None] = relationship()


class PlanGoal(ProjectRecord, db.Model):
    """One effektmål or resultatmål, written SMART."""

    __tablename__ = "plan_goal"

    #: one of GOAL_KINDS
    kind: Mapped[str] = mapped_column(String(10))
    #: order within its kind, from 1
    position: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanLink(db.Model):
    """"Grensesnitt": another project in Faseport this one must be coordinated with."""

    __tablename__ = "plan_link"
    __table_args__ = (UniqueConstraint("project_id", "related_project_id",
                                       name="uq_plan_link_project_related"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    related_project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    #: what the two projects share, in a few words
    note: Mapped[str] = mapped_column(String(300), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    related_project = relationship("Project", foreign_keys=[related_project_id])


class Milestone(ProjectRecord, Touched, db.Model):
    """A milestone (milepæl): a state the project reaches by a date ("Når … er …")."""

    __tablename__ = "milestone"
    __table_args__ = (UniqueConstraint("project_id", "number", name="uq_milestone_project_number"),)

    #: short label unique within the project, e.g. "M3"
    number: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(String(500))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    due_date: Mapped[date] = mapped_column(Date)
    #: the gate (BP1 … BP6) this milestone plans, e.g. "BP3" for "Styringsdokumentet er
    #: godkjent"; None for an ordinary milestone. Reminders and calendars read it.
    gate: Mapped[str | None] = mapped_column(String(4), nullable=True)
    #: when it was reached; None while open
    done_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    responsible: Mapped[User | None] = relationship()

    def is_overdue(self, today: date) -> bool:
        """Not reached and its due date has passed."""
        return self.done_date is None and self.due_date < today
