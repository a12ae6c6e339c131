"""What each portfolio row shows besides the project itself: the lights of its latest
published status report, its next milestone, budget, benefits, priority and programme —
fetched for a whole page (or a whole export) in four statements.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, case, false, func, select

from app.extensions import db
from app.models import Project
from app.models.benefit import Benefit
from app.models.plan import Milestone
from app.models.portfolio import Programme, ProgrammeProject
from app.models.status_report import AREA_CODES, StatusReport
from app.money import percent_spent
from app.portfolio.columns import (RANK_STATUS, STATUS_RANK, benefit_progress, budget, is_measurable_benefit,
                                   latest_report_id, next_milestone_id, priority)


@dataclass
class ReportLights:
    """The traffic lights of a project's latest published status report."""

    report_id: int
    period_label: str
    published_at: datetime | None
    #: area code → "green" / "yellow" / "red" / None
    areas: dict[str, str | None]
    #: "Forbrukt hittil" as the report gives it (None: not recorded)
    spent_nok: int | None = None

    @property
    def worst(self) -> str | None:
        ranks = [STATUS_RANK[s] for s in self.areas.values() if s in STATUS_RANK]
        return RANK_STATUS[max(ranks)] if ranks else None


@dataclass
class NextMilestone:
    id: int
    number: str
    description: str
    due_date: date

    def is_overdue(self, today: date) -> bool:
        return self.due_date < today


@dataclass
class RowDetails:
    """Everything a portfolio row shows that is not a column of Project."""

    report: ReportLights | None = None
    milestone: NextMilestone | None = None
    budget_nok: int | None = None
    #: average progress 0–1 of the measurable benefits (None: nothing measured yet)
    benefits_progress: float | None = None
    #: number of benefits, and of those that have reached their target
    benefits_total: int = 0
    benefits_reached: int = 0
    priority: int | None = None
    programme_id: int | None = None
    programme_name: str | None = None

    @property
    def status(self) -> str | None:
        return self.report.worst if self.report else None

    @property
    def spent_nok(self) -> int | None:
        """Money spent to date, from the latest published status report."""
        return self.report.spent_nok if self.report else None

    @property
    def spent_percent(self) -> int | None:
        return percent_spent(self.spent_nok, self.budget_nok)

    @property
    def benefits_percent(self) -> int | None:
        return None if self.benefits_progress is None else round(self.benefits_progress * 100)


def _ids_clause(ids) -> ColumnElement[bool]:
    if isinstance(ids, Select):
        return Project.id.in_(ids)
    ids = list(ids)
    return Project.id.in_(ids) if ids else false()


def row_details(ids) -> dict[int, RowDetails]:
    """Details for the projects with these ids (a list, or a ``select(Project.id)`` such as
    ``filtered_ids(...)`` for an export): four statements, however many projects."""
    if not isinstance(ids, Select):
        ids = list(ids)
        if not ids:
            return {}
    where = _ids_clause(ids)
    out: dict[int, RowDetails] = {}

    # 1. numbers: budget, priority, programme
    for pid, budget_nok, prio, programme_id, programme_name in db.session.execute(
            select(Project.id, budget(), priority(), ProgrammeProject.programme_id, Programme.name)
            .outerjoin(ProgrammeProject, ProgrammeProject.project_id == Project.id)
            .outerjoin(Programme, Programme.id == ProgrammeProject.programme_id)
            .where(where)):
        out[pid] = RowDetails(budget_nok=budget_nok, priority=prio, programme_id=programme_id,
                              programme_name=programme_name)

    # 2. benefits: how many, how many measured and reached, the average progress
    progress = benefit_progress()
    measurable = is_measurable_benefit()
    for pid, total, measured, average, reached in db.session.execute(
            select(Benefit.project_id, func.count(Benefit.id),
                   func.count(case((measurable, progress))),
                   func.avg(case((measurable, func.coalesce(progress, 0.0)))),
                   func.count(case((measurable & (progress >= 1.0), 1))))
            .join(Project, Project.id == Benefit.project_id).where(where)
            .group_by(Benefit.project_id)):
        if pid in out:
            d = out[pid]
            d.benefits_total, d.benefits_reached = total, reached
            d.benefits_progress = float(average) if measured and average is not None else None

    # 3. the latest published status report's lights
    cols = [getattr(StatusReport, f"{c}_status") for c in AREA_CODES]
    for row in db.session.execute(
            select(StatusReport.id, StatusReport.project_id, StatusReport.period_label,
                   StatusReport.published_at, StatusReport.spent_to_date_nok, *cols)
            .where(StatusReport.id.in_(select(latest_report_id()).where(where)))):
        if row.project_id in out:
            out[row.project_id].report = ReportLights(
                report_id=row.id, period_label=row.period_label, published_at=row.published_at,
                areas={c: getattr(row, f"{c}_status") for c in AREA_CODES}, spent_nok=row.spent_to_date_nok)

    # 4. the next open milestone
    for m in db.session.execute(
            select(Milestone.id, Milestone.project_id, Milestone.number, Milestone.description,
                   Milestone.due_date)
            .where(Milestone.id.in_(select(next_milestone_id()).where(where)))):
        if m.project_id in out:
            out[m.project_id].milestone = NextMilestone(id=m.id, number=m.number,
                                                        description=m.description, due_date=m.due_date)
    return out


__all__ = ["NextMilestone", "ReportLights", "RowDetails", "row_details"]
