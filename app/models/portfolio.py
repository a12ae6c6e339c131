"""Portfolio management (porteføljestyring): programmes that group projects, the
prioritising score of ideas and projects, and the portfolio views people save."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import FreeText, OnePerProject, Touched, UTCDateTime, Versioned, utcnow
from app.models.benefit import BenefitMeasurement
from app.models.plan import Milestone
from app.models.project import Project
from app.models.risk import Risk
from app.models.status_report import StatusReport
from app.models.user import User
from app.workflow.i18n import N_

#: the five prioritising criteria (seed 004), in the order forms and tables show them:
#: code → (Norwegian name, what a high score means)
PRIORITY_CRITERIA = {
    "strategic_value": (N_("Strategisk verdi"), N_("Hvor godt saken støtter kommunens strategi og planer")),
    "quality_benefit": (N_("Kvalitativ gevinst"), N_("Bedre tjenester, kvalitet eller arbeidsmiljø")),
    "economic_benefit": (N_("Økonomisk gevinst"), N_("Sparte kroner eller frigjort tid, verdsatt i kroner")),
    "operational_need": (N_("Operasjonelt behov / lovpålagt"), N_("Må gjøres for å holde driften i gang, eller er pålagt ved lov")),
    "risk": (N_("Risiko"), N_("Hvor usikker gjennomføringen er. Høy risiko gir lavere prioritet")),
}
#: the scale of every criterion
SCORE_MIN, SCORE_MAX = 1, 5
#: the highest possible priority: five criteria at best (risk counted as 6 − risk)
PRIORITY_MAX = 5 * SCORE_MAX


class Programme(Versioned, Touched, db.Model):
    """A programme: related projects steered together, with an owner of its own."""

    __tablename__ = "programme"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: what the projects have in common and what the programme is to achieve
    description: Mapped[FreeText]
    #: programeier: decides across the programme's projects
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    #: deleted with the programme by the ORM (SQLite does not enforce the FK cascade)
    memberships: Mapped[list[ProgrammeProject]] = relationship(
        back_populates="programme", cascade="all, delete-orphan")

    def can_edit(self, user) -> bool:
        """The portefolje role, administrators and the programme's own owner edit it."""
        return bool(user and getattr(user, "is_authenticated", False)) and (
            user.is_admin or user.has_role("portefolje") or user.id == self.owner_id)

    @staticmethod
    def can_create(user) -> bool:
        """New programmes come from portfolio management (and administrators)."""
        return bool(user and getattr(user, "is_authenticated", False)) and (
            user.is_admin or user.has_role("portefolje"))

    def can_delete(self, user) -> bool:
        """Deleting a programme (its projects stay) is for those who create them."""
        return self.can_create(user)

    def __repr__(self) -> str:
        return f"<Programme {self.id} {self.name!r}>"


class ProgrammeProject(db.Model):
    """A project's place in a programme. The project is the key: at most one programme."""

    __tablename__ = "programme_project"

    #: the project (primary key: a project belongs to at most one programme)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="memberships")
    project: Mapped[Project] = relationship()
    added_by: Mapped[User | None] = relationship()


class PriorityScore(OnePerProject, db.Model):
    """The portfolio's current score of one idea or project on the five criteria, 1–5 each.

    `priority` adds them up with risk turned round (6 − risk), so 5 is the lowest and 25
    the highest priority. One row per project; every change is in the audit log.
    """

    __tablename__ = "priority_score"

    #: strategisk verdi 1–5
    strategic_value: Mapped[int] = mapped_column(Integer)
    #: kvalitativ gevinst 1–5
    quality_benefit: Mapped[int] = mapped_column(Integer)
    #: økonomisk gevinst 1–5
    economic_benefit: Mapped[int] = mapped_column(Integer)
    #: operasjonelt behov / lovpålagt 1–5
    operational_need: Mapped[int] = mapped_column(Integer)
    #: risiko 1–5 (5: very risky, which lowers the priority)
    risk: Mapped[int] = mapped_column(Integer)
    #: why the scores are what they are (shown beside the ranking)
    comment: Mapped[FreeText]
    scored_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship()
    scored_by: Mapped[User] = relationship()

    @hybrid_property
    def priority(self) -> int:
        """Sum of the criteria with risk inverted: 5 (lowest) – 25 (highest)."""
        return (self.strategic_value + self.quality_benefit + self.economic_benefit
                + self.operational_need + (6 - self.risk))

    def scores(self) -> dict[str, int]:
        """Each criterion's score, in PRIORITY_CRITERIA order."""
        return {code: getattr(self, code) for code in PRIORITY_CRITERIA}

    @staticmethod
    def can_score(user) -> bool:
        """Only portfolio management (the portefolje role) and administrators score."""
        return bool(user and getattr(user, "is_authenticated", False)) and (
            user.is_admin or user.has_role("portefolje"))


class SavedView(db.Model):
    """A named portfolio view of one person: the filters, sort and page size as a query
    string. Opening it runs the query again, with the viewer's own visibility."""

    __tablename__ = "saved_view"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_view_user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: the normalised query string, e.g. "stage=planning&sort=priority&dir=desc"
    query: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()



# The portfolio's latest-per-project lookups (app.portfolio.columns) run once per listed
# project; these indexes let each be a single index seek. They live on other areas' tables
# but belong to the portfolio's queries, so they are declared (and migrated) here.
Index("ix_status_report_latest_published", StatusReport.project_id, StatusReport.status,
      StatusReport.published_at, StatusReport.id)
Index("ix_milestone_project_open_due", Milestone.project_id, Milestone.done_date, Milestone.due_date)
Index("ix_benefit_measurement_latest", BenefitMeasurement.benefit_id, BenefitMeasurement.measured_on,
      BenefitMeasurement.id, BenefitMeasurement.value)
#: the heat map counts open risks by cell: a covering index read only over open risks
Index("ix_risk_open_matrix", Risk.status, Risk.kind, Risk.project_id, Risk.probability, Risk.consequence)
