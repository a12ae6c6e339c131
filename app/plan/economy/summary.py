"""The economy at a glance: budget per year, financing, and planned against spent (the
economy tab, the documents and the portfolio read it)."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.extensions import db
from app.models import Project
from app.models.economy import BudgetLine, FundingSource
from app.models.status_report import StatusReport
from app.money import percent_spent
from app.plan.plan.queries import get_plan

#: budget years accepted
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass
class EconomySummary:
    """The project's money at a glance: what is planned, where it comes from, what is spent."""

    lines: list[BudgetLine] = field(default_factory=list)
    sources: list[FundingSource] = field(default_factory=list)
    #: a total given before the budget was split into years (no lines yet)
    legacy_total: int | None = None
    #: the latest published status report that says how much is spent
    spent_report: StatusReport | None = None

    @property
    def investment(self) -> int:
        return sum(line.investment_nok or 0 for line in self.lines)

    @property
    def operating(self) -> int:
        return sum(line.operating_nok or 0 for line in self.lines)

    @property
    def planned(self) -> int | None:
        """The planned total: the sum of the years, else the earlier single total."""
        return self.investment + self.operating if self.lines else self.legacy_total

    @property
    def funded(self) -> int:
        """Financing not refused (planned, applied for or granted)."""
        return sum(s.amount_nok or 0 for s in self.sources if s.status != "refused")

    @property
    def grants(self) -> int:
        return sum(s.amount_nok or 0 for s in self.sources if s.kind == "grant" and s.status != "refused")

    @property
    def spent(self) -> int | None:
        return self.spent_report.spent_to_date_nok if self.spent_report else None

    @property
    def remaining(self) -> int | None:
        return None if self.planned is None or self.spent is None else self.planned - self.spent

    @property
    def spent_percent(self) -> int | None:
        return percent_spent(self.spent, self.planned)

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.sources and self.legacy_total is None


def latest_spent_report(project: Project) -> StatusReport | None:
    """The latest published status report that records money spent."""
    return db.session.execute(
        db.select(StatusReport).where(StatusReport.project_id == project.id,
                                      StatusReport.status == "published",
                                      StatusReport.spent_to_date_nok.is_not(None))
        .order_by(StatusReport.published_at.desc(), StatusReport.id.desc()).limit(1)
    ).scalar_one_or_none()


def summary(project: Project) -> EconomySummary:
    """The project's budget lines, financing and the latest money spent."""
    lines = db.session.execute(db.select(BudgetLine).where(BudgetLine.project_id == project.id)
                               .order_by(BudgetLine.year)).scalars().all()
    sources = db.session.execute(db.select(FundingSource).where(FundingSource.project_id == project.id)
                                 .order_by(FundingSource.id)).scalars().all()
    plan = get_plan(project)
    return EconomySummary(lines=list(lines), sources=list(sources),
                          legacy_total=None if lines or plan is None else plan.budget_nok,
                          spent_report=latest_spent_report(project))


def year_taken(project: Project, year: int, exclude_id: int | None = None) -> bool:
    """Another budget line has this year already."""
    return db.session.execute(db.select(BudgetLine.id).where(
        BudgetLine.project_id == project.id, BudgetLine.year == year,
        BudgetLine.id != (exclude_id or 0))).first() is not None
