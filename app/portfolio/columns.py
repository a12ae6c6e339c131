"""The portfolio's derived columns, as SQL correlated on ``Project.id`` (or on ``Benefit``):
latest published status report and its reddest light, next open milestone, budget,
priority, benefit progress and category, and the sort expressions built from them.

They are correlated scalar subqueries, so the number of statements never grows with the
number of rows. Everything here runs on SQLite and PostgreSQL.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Float, Select, and_, case, cast, func, or_, select

from app.models import Project
from app.models.benefit import Benefit, BenefitMeasurement
from app.models.plan import Milestone, ProjectPlan
from app.models.portfolio import PriorityScore
from app.models.status_report import AREA_CODES, StatusReport
from app.portfolio.filters import PortfolioFilter
from app.portfolio.sqlfunctions import DialectFunction

#: rank of a traffic light, reddest highest (0: not rated)
STATUS_RANK = {"green": 1, "yellow": 2, "red": 3}
RANK_STATUS = {rank: code for code, rank in STATUS_RANK.items()}


def latest_report_id() -> ColumnElement[int]:
    """The id of the project's latest published status report (NULL: none)."""
    return (select(StatusReport.id)
            .where(StatusReport.project_id == Project.id, StatusReport.status == "published")
            .order_by(StatusReport.published_at.desc(), StatusReport.id.desc())
            .limit(1).correlate(Project).scalar_subquery())


def _worst_rank_of(table) -> ColumnElement[int]:
    """CASE: 3 if any area is red, 2 if any is yellow, 1 if any is green, else 0."""
    cols = [getattr(table, f"{code}_status") for code in AREA_CODES]
    return case(
        (or_(*[c == "red" for c in cols]), 3),
        (or_(*[c == "yellow" for c in cols]), 2),
        (or_(*[c == "green" for c in cols]), 1),
        else_=0,
    )


def status_rank() -> ColumnElement[int]:
    """The reddest light of the latest published report: 1 green, 2 yellow, 3 red, 0 none
    rated; NULL when the project has no published report."""
    return (select(_worst_rank_of(StatusReport))
            .where(StatusReport.project_id == Project.id, StatusReport.status == "published")
            .order_by(StatusReport.published_at.desc(), StatusReport.id.desc())
            .limit(1).correlate(Project).scalar_subquery())


def next_milestone_due() -> ColumnElement[date]:
    """The due date of the project's earliest milestone not yet reached (NULL: none)."""
    return (select(func.min(Milestone.due_date))
            .where(Milestone.project_id == Project.id, Milestone.done_date.is_(None))
            .correlate(Project).scalar_subquery())


def next_milestone_id() -> ColumnElement[int]:
    return (select(Milestone.id)
            .where(Milestone.project_id == Project.id, Milestone.done_date.is_(None))
            .order_by(Milestone.due_date, Milestone.id)
            .limit(1).correlate(Project).scalar_subquery())


def budget() -> ColumnElement[int]:
    """The plan's total budget in NOK (NULL: not given)."""
    return (select(ProjectPlan.budget_nok).where(ProjectPlan.project_id == Project.id)
            .correlate(Project).scalar_subquery())


def priority() -> ColumnElement[int]:
    """The portfolio's priority score 5–25 (NULL: not scored)."""
    return (select(PriorityScore.priority).where(PriorityScore.project_id == Project.id)
            .correlate(Project).scalar_subquery())


class clamp01(DialectFunction):
    """A number held within 0–1 in SQL: max/min on SQLite, greatest/least on PostgreSQL."""

    type = Float()
    name = "clamp01"
    inherit_cache = True
    default = "greatest(0.0, least(1.0, {}))"
    on_sqlite = "max(0.0, min(1.0, {}))"


def _ratio(value) -> ColumnElement[float]:
    """(value − baseline) / (target − baseline) of the Benefit in the enclosing query;
    NULL when baseline or target is missing, or when they are equal."""
    return ((cast(value, Float) - Benefit.baseline)
            / func.nullif(cast(Benefit.target, Float) - Benefit.baseline, 0.0))


def _latest_measurement(*columns) -> Select:
    """SELECT `columns` of the latest measurement of the Benefit in the enclosing query."""
    return (select(*columns).where(BenefitMeasurement.benefit_id == Benefit.id)
            .order_by(BenefitMeasurement.measured_on.desc(), BenefitMeasurement.id.desc())
            .limit(1).correlate(Benefit))


def latest_measured_value() -> ColumnElement[float]:
    """The Benefit's latest measured value (NULL: not measured)."""
    return _latest_measurement(BenefitMeasurement.value).scalar_subquery()


def benefit_progress() -> ColumnElement[float]:
    """How far the Benefit's latest measurement has come from its baseline towards its
    target, 0–1: going the wrong way counts as 0, beating the target as 1. NULL when not
    measured, or when baseline and target are not both set and different.

    One index seek per benefit (the measurement lookup is evaluated once)."""
    return _latest_measurement(clamp01(_ratio(BenefitMeasurement.value))).scalar_subquery()


#: benefit categories, best first (labels in app.portfolio.panels.BENEFIT_CATEGORIES)
BENEFIT_CATEGORY_CODES = ("reached", "halfway", "started", "unmeasured", "undefined")


def benefit_category() -> ColumnElement[str]:
    """Where the Benefit stands: reached (latest value at or beyond target), halfway (at
    least half the way), started (less), unmeasured, or undefined (no baseline/target)."""
    ratio = _ratio(BenefitMeasurement.value)
    by_latest = _latest_measurement(case((ratio >= 1.0, "reached"), (ratio >= 0.5, "halfway"),
                                         else_="started")).scalar_subquery()
    return case((~is_measurable_benefit(), "undefined"), else_=func.coalesce(by_latest, "unmeasured"))


def is_measurable_benefit() -> ColumnElement[bool]:
    """The Benefit has a baseline and a different target (progress can be computed)."""
    return and_(Benefit.baseline.is_not(None), Benefit.target.is_not(None), Benefit.target != Benefit.baseline)


def benefits_progress() -> ColumnElement[float]:
    """For sorting projects: the average progress 0–1 of the project's measurable
    benefits, an unmeasured one counting as 0 (NULL: no measurable benefit)."""
    return (select(func.avg(func.coalesce(benefit_progress(), 0.0)))
            .where(Benefit.project_id == Project.id, is_measurable_benefit())
            .correlate(Project).scalar_subquery())


#: sortable column → the stored key it sorts on (app/models/sort_keys.py), and whether
#: the key can be empty (NULL: sorted last in either direction)
SORT_KEYS = {
    "title": ("title_key", False), "unit": ("unit_key", False), "owner": ("sort_owner", True),
    "manager": ("sort_manager", True), "status": ("sort_status", True), "milestone": ("sort_milestone", True),
    "budget": ("sort_budget", True), "benefits": ("sort_benefits", True), "priority": ("sort_priority", True),
}


def order_by_clauses(filt: PortfolioFilter) -> list[ColumnElement]:
    """ORDER BY for the filter, on the stored keys and in the order of an index on them
    (migration 0011), so that the database walks the index and stops after one page.

    The column first (empty values last in either direction), then the title within a
    stage, then the id, so that paging is stable."""
    desc = filt.direction == "desc"
    tail = Project.id.desc() if desc else Project.id.asc()
    if filt.sort == "stage":
        rank = Project.stage_rank.desc() if desc else Project.stage_rank.asc()
        return [rank, Project.title_key.asc(), tail]
    name, nullable = SORT_KEYS[filt.sort]
    key = getattr(Project, name)
    clauses = [key.is_(None)] if nullable else []
    return [*clauses, key.desc() if desc else key.asc(), tail]


__all__ = [
    "BENEFIT_CATEGORY_CODES", "RANK_STATUS", "STATUS_RANK", "benefit_category", "benefit_progress",
    "benefits_progress", "budget", "is_measurable_benefit", "latest_measured_value", "latest_report_id",
    "next_milestone_due", "next_milestone_id", "order_by_clauses", "priority", "status_rank",
]
