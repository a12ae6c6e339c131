"""What a running project's overview leads with: the latest status, the next milestones,
budget against spent, the open risks the matrix calls high (score 12–25) and the next gate.

Read-only; four small queries whatever the size of the project.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.extensions import db
from app.models.economy import BudgetLine
from app.models.plan import Milestone
from app.models.risk import HIGH_SCORE, Risk
from app.models.status_report import StatusReport

#: stages in which a project is running: it has a plan, reports and risks to follow
RUNNING_STAGES = ("planning", "execution", "handover", "realisation")
#: how many coming milestones the overview lists
NEXT_MILESTONES = 3


@dataclass
class Overview:
    #: the latest published status report, or None
    report: StatusReport | None
    #: the next milestones not done, earliest first
    milestones: list[Milestone] = field(default_factory=list)
    #: the budget (investment + operating, all years), None without budget lines
    budget_nok: int | None = None
    #: spent so far, from the latest published report (None when not reported)
    spent_nok: int | None = None
    #: open risks the matrix calls "Høy" (score HIGH_SCORE and up), highest first
    high_risks: list[Risk] = field(default_factory=list)
    #: today in Oslo, to mark milestones that are late
    today: date | None = None

    @property
    def spent_share(self) -> int | None:
        """Spent as a whole percentage of the budget, when both are known."""
        if not self.budget_nok or self.spent_nok is None:
            return None
        return round(100 * self.spent_nok / self.budget_nok)


def overview_of(project, today: date | None = None) -> Overview | None:
    """The lead facts of a running project; None for an idea, a concept or a closed case."""
    if project.stage not in RUNNING_STAGES:
        return None
    today = today or datetime.now(ZoneInfo("Europe/Oslo")).date()
    report = db.session.scalar(
        select(StatusReport)
        .where(StatusReport.project_id == project.id, StatusReport.status == "published")
        .order_by(StatusReport.published_at.desc(), StatusReport.id.desc()).limit(1))
    milestones = db.session.scalars(
        select(Milestone)
        .where(Milestone.project_id == project.id, Milestone.done_date.is_(None))
        .order_by(Milestone.due_date, Milestone.id).limit(NEXT_MILESTONES)).all()
    budget = db.session.scalar(
        select(func.sum(BudgetLine.investment_nok + BudgetLine.operating_nok))
        .where(BudgetLine.project_id == project.id))
    high_risks = db.session.scalars(
        select(Risk)
        .where(Risk.project_id == project.id, Risk.kind == "risk", Risk.status == "open",
               Risk.probability * Risk.consequence >= HIGH_SCORE)
        .order_by((Risk.probability * Risk.consequence).desc(), Risk.id)).all()
    return Overview(report=report, milestones=list(milestones),
                    budget_nok=int(budget) if budget is not None else None,
                    spent_nok=report.spent_to_date_nok if report else None,
                    high_risks=list(high_risks), today=today)
