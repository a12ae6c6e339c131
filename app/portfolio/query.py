"""The portfolio's one query: who may see which projects, the filters, the sort and paging.

The portfolio overview, its side panels and exports, the programme pages and the
``/api/v1/projects`` feed all list projects through this module, so that every one of
them shows exactly the same projects for the same person and the same query string.

Typical use (a view)::

    from app.portfolio.query import PortfolioFilter, paginate, portfolio_query, row_details

    filt = PortfolioFilter.from_args(request.args)               # ?stage=planning&q=…&sort=…
    page = paginate(portfolio_query(current_user, filt), filt.page, filt.per_page)
    details = row_details([p.id for p in page.items])             # colours, milestone, budget …

The API uses the same three calls with ``PortfolioFilter.from_args(request.args,
max_per_page=500)`` and adds its own eager loads (``.options(selectinload(...))``) to the
select that ``portfolio_query`` returns.

Who sees what (the SQL form of ``Project.can_view`` for lists, see ``visible_projects``):
drafts never appear (their author finds them under "Mitt"); restricted ("Skjermet")
projects only for their own people (submitter, owner, manager, members), the portefolje
role and administrators.

Everything here runs on SQLite and PostgreSQL. The derived columns (latest published
status report, next open milestone, budget, benefits progress, priority) are correlated
scalar subqueries, so the number of statements never grows with the number of rows, and
paging happens in SQL.
"""
from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import urlencode

from sqlalchemy import (ColumnElement, Float, Select, String, and_, case, cast, event, false, func,
                        or_, select)
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.sql.functions import FunctionElement

from app.extensions import db
from app.models import Project, ProjectMember, User
from app.models.benefit import Benefit, BenefitMeasurement
from app.models.plan import Milestone, ProjectPlan
from app.models.portfolio import PriorityScore, ProgrammeProject
from app.models.status_report import AREA_CODES, StatusReport
from app.workflow import Stage

# --- filter values ------------------------------------------------------------------------------
#: stages a portfolio can show (never drafts), in the funnel's order
PORTFOLIO_STAGES: tuple[str, ...] = tuple(s.value for s in Stage if s is not Stage.DRAFT)
#: the overall status a project can be filtered on: the reddest light of its latest
#: published report, or "none" when it has no published report (or none rated)
STATUS_VALUES = ("green", "yellow", "red", "none")
#: rank of a traffic light, reddest highest (0: not rated)
STATUS_RANK = {"green": 1, "yellow": 2, "red": 3}
RANK_STATUS = {rank: code for code, rank in STATUS_RANK.items()}

#: the sortable columns of the overview: code → Norwegian label (a message id)
SORT_COLUMNS = {
    "title": "Tittel",
    "stage": "Fase",
    "unit": "Enhet",
    "owner": "Prosjekteier",
    "manager": "Prosjektleder",
    "status": "Status",
    "milestone": "Neste milepæl",
    "budget": "Budsjett",
    "benefits": "Gevinster",
    "priority": "Prioritet",
}
DEFAULT_SORT = "stage"
#: the direction each column sorts in when first chosen (numbers: largest first)
DEFAULT_DIRECTION = {"status": "desc", "budget": "desc", "benefits": "desc", "priority": "desc"}

#: page sizes offered on the page; the API may ask for up to its own maximum
PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
#: longest free-text search kept (longer input is cut)
MAX_Q_LENGTH = 200


# --- case-insensitive text on SQLite and PostgreSQL ------------------------------------------
class fold(FunctionElement):
    """Lower-case text in SQL, including Æ, Ø and Å.

    PostgreSQL's lower() knows Unicode; SQLite's lower() only knows A–Z, so on SQLite this
    calls a Python function registered on every new connection (below).
    """

    type = String()
    name = "fold"
    inherit_cache = True


@compiles(fold)
def _fold_default(element, compiler, **kw):
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(fold, "sqlite")
def _fold_sqlite(element, compiler, **kw):
    return f"faseport_fold({compiler.process(element.clauses, **kw)})"


def _python_fold(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _register_sqlite_fold(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("faseport_fold", 1, _python_fold, deterministic=True)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def text_contains(column, needle: str) -> ColumnElement[bool]:
    """`column` contains `needle`, ignoring case (Æ, Ø and Å too); % and _ are literal.

    PostgreSQL: ILIKE. SQLite: its own LIKE already ignores the case of A–Z, which is
    all an ASCII needle can match, and runs in C; a needle with other letters goes
    through the Python fold (slower, but only then)."""
    needle = needle.lower()
    if _dialect() == "sqlite" and not needle.isascii():
        return fold(column).contains(needle, autoescape=True)
    if _dialect() == "sqlite":
        return column.contains(needle, autoescape=True)
    return column.icontains(needle, autoescape=True)


# --- who sees what --------------------------------------------------------------------------
def sees_all_restricted(user) -> bool:
    """The portefolje role and administrators see every restricted project."""
    return bool(user.is_admin or user.has_role("portefolje"))


def visible_projects(user) -> ColumnElement[bool]:
    """A WHERE condition on Project: the projects `user` may see in lists.

    Drafts never (not even the author's: lists show submitted work only); restricted
    projects only for their own people, the portefolje role and administrators.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    not_draft = Project.stage != Stage.DRAFT.value
    if sees_all_restricted(user):
        return not_draft
    member = select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
    return and_(not_draft, or_(
        Project.restricted.is_(False),
        Project.submitted_by_id == user.id, Project.owner_id == user.id, Project.manager_id == user.id,
        Project.id.in_(member),
    ))


def visible_projects_query(user) -> Select:
    """``select(Project)`` of the projects `user` may see in lists (see visible_projects)."""
    return select(Project).where(visible_projects(user))


# --- the filter -------------------------------------------------------------------------------
def _ints(values: Iterable[str]) -> list[int]:
    out = []
    for v in values:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return out


def _clean(values: Iterable[str], allowed: Iterable[str] | None = None, limit: int = 200) -> tuple[str, ...]:
    """Distinct non-empty values in the order given, optionally only the allowed ones."""
    allowed = set(allowed) if allowed is not None else None
    seen: list[str] = []
    for v in values:
        v = (v or "").strip()[:limit]
        if v and v not in seen and (allowed is None or v in allowed):
            seen.append(v)
    return tuple(seen)


@dataclass(frozen=True)
class PortfolioFilter:
    """What the person asked to see: filters, sort and page, as read from a query string.

    Every field is optional; unknown or invalid values are ignored rather than refused,
    so a shared or bookmarked link never breaks. Several values of one filter (e.g.
    ``?stage=planning&stage=execution``) mean "any of them"; different filters combine
    with "and".
    """

    #: stage codes (PORTFOLIO_STAGES)
    stages: tuple[str, ...] = ()
    #: units (enhet), exact names
    units: tuple[str, ...] = ()
    #: owners: usernames (or full names, any case)
    owners: tuple[str, ...] = ()
    #: managers: usernames (or full names, any case)
    managers: tuple[str, ...] = ()
    #: overall status colours (STATUS_VALUES)
    statuses: tuple[str, ...] = ()
    #: free text found in the title or the need, any case
    q: str = ""
    #: programme id
    programme: int | None = None
    #: a SORT_COLUMNS key
    sort: str = DEFAULT_SORT
    #: "asc" or "desc"
    direction: str = "asc"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    #: query-string names of the fields (also the API's parameter names)
    ARG_NAMES = {"stages": "stage", "units": "unit", "owners": "owner", "managers": "manager",
                 "statuses": "status", "q": "q", "programme": "programme", "sort": "sort",
                 "direction": "dir", "page": "page", "per_page": "per_page"}

    @classmethod
    def from_args(cls, args: Mapping, *, max_per_page: int = MAX_PER_PAGE) -> PortfolioFilter:
        """Read the filter from request.args (a MultiDict) or a plain dict of lists/strings."""
        def many(name: str) -> list[str]:
            if hasattr(args, "getlist"):
                return args.getlist(name)
            value = args.get(name, [])
            return [value] if isinstance(value, str) else list(value)

        def one(name: str) -> str:
            values = many(name)
            return (values[0] if values else "") or ""

        sort = one("sort") if one("sort") in SORT_COLUMNS else DEFAULT_SORT
        direction = one("dir") if one("dir") in ("asc", "desc") else DEFAULT_DIRECTION.get(sort, "asc")
        page = (_ints([one("page")]) or [1])[0]
        per_page = (_ints([one("per_page")]) or [DEFAULT_PER_PAGE])[0]
        programme = (_ints([one("programme")]) or [None])[0]
        return cls(
            stages=_clean(many("stage"), PORTFOLIO_STAGES),
            units=_clean(many("unit")),
            owners=_clean(many("owner"), limit=128),
            managers=_clean(many("manager"), limit=128),
            statuses=_clean(many("status"), STATUS_VALUES),
            q=" ".join(one("q").split())[:MAX_Q_LENGTH],
            programme=programme if programme and programme > 0 else None,
            sort=sort,
            direction=direction,
            page=max(1, min(page, 10**6)),
            per_page=max(1, min(per_page, max_per_page)),
        )

    # --- back into a query string ---------------------------------------------------------
    def to_args(self, *, paging: bool = True) -> list[tuple[str, str]]:
        """The filter as (name, value) pairs, leaving out defaults (stable order)."""
        pairs: list[tuple[str, str]] = []
        for attr in ("stages", "units", "owners", "managers", "statuses"):
            pairs += [(self.ARG_NAMES[attr], v) for v in getattr(self, attr)]
        if self.q:
            pairs.append(("q", self.q))
        if self.programme:
            pairs.append(("programme", str(self.programme)))
        if self.sort != DEFAULT_SORT or self.direction != DEFAULT_DIRECTION.get(self.sort, "asc"):
            pairs += [("sort", self.sort), ("dir", self.direction)]
        if paging:
            if self.per_page != DEFAULT_PER_PAGE:
                pairs.append(("per_page", str(self.per_page)))
            if self.page != 1:
                pairs.append(("page", str(self.page)))
        return pairs

    def query_string(self, *, paging: bool = True, **changes) -> str:
        """The URL query string of this filter with `changes` applied (no leading "?")."""
        target = replace(self, **changes) if changes else self
        return urlencode(target.to_args(paging=paging))

    def sorted_by(self, column: str) -> PortfolioFilter:
        """The filter that a click on `column`'s header gives: that column, turned round
        when it is already the sort, and back to page 1."""
        if column == self.sort:
            direction = "desc" if self.direction == "asc" else "asc"
        else:
            direction = DEFAULT_DIRECTION.get(column, "asc")
        return replace(self, sort=column, direction=direction, page=1)

    @property
    def has_filters(self) -> bool:
        """True when anything narrows the list (sort and paging do not)."""
        return bool(self.stages or self.units or self.owners or self.managers or self.statuses
                    or self.q or self.programme)


# --- derived columns, as SQL correlated on Project.id -------------------------------------------
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


class clamp01(FunctionElement):
    """A number held within 0–1 in SQL: max/min on SQLite, greatest/least on PostgreSQL."""

    type = Float()
    name = "clamp01"
    inherit_cache = True


@compiles(clamp01)
def _clamp01_default(element, compiler, **kw):
    return f"greatest(0.0, least(1.0, {compiler.process(element.clauses, **kw)}))"


@compiles(clamp01, "sqlite")
def _clamp01_sqlite(element, compiler, **kw):
    return f"max(0.0, min(1.0, {compiler.process(element.clauses, **kw)}))"


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


def _sort_expression(column: str) -> ColumnElement:
    if column == "title":
        return fold(Project.title)
    if column == "stage":
        return case({s.value: s.order for s in Stage}, value=Project.stage, else_=99)
    if column == "unit":
        return fold(Project.unit)
    if column in ("owner", "manager"):
        person = Project.owner_id if column == "owner" else Project.manager_id
        return (select(fold(User.display_name)).where(User.id == person)
                .correlate(Project).scalar_subquery())
    if column == "status":
        return status_rank()
    if column == "milestone":
        return next_milestone_due()
    if column == "budget":
        return budget()
    if column == "benefits":
        return benefits_progress()
    if column == "priority":
        return priority()
    raise ValueError(column)


def order_by_clauses(filt: PortfolioFilter) -> list[ColumnElement]:
    """ORDER BY for the filter: the column (empty values last in either direction), then
    the title within a stage, then the id, so that paging is stable."""
    expr = _sort_expression(filt.sort)
    key = (expr.desc() if filt.direction == "desc" else expr.asc()).nulls_last()
    clauses = [key]
    if filt.sort == "stage":
        clauses.append(fold(Project.title).asc())
    clauses.append(Project.id.desc() if filt.direction == "desc" else Project.id.asc())
    return clauses


# --- filtering ------------------------------------------------------------------------------
def _people(values: tuple[str, ...]) -> Select:
    """Ids of the people named: by username (as links and the API give them), or by
    their full name in any case (as a person types it when the list is too long)."""
    return select(User.id).where(or_(User.username.in_(values),
                                     fold(User.display_name).in_([v.lower() for v in values])))


def filter_conditions(user, filt: PortfolioFilter) -> list[ColumnElement[bool]]:
    """The WHERE conditions on Project for `user` and `filt` (visibility always first)."""
    conds: list[ColumnElement[bool]] = [visible_projects(user)]
    if filt.stages:
        conds.append(Project.stage.in_(filt.stages))
    if filt.units:
        conds.append(Project.unit.in_(filt.units))
    if filt.owners:
        conds.append(Project.owner_id.in_(_people(filt.owners)))
    if filt.managers:
        conds.append(Project.manager_id.in_(_people(filt.managers)))
    if filt.statuses:
        rank = status_rank()
        wanted = [STATUS_RANK[s] for s in filt.statuses if s in STATUS_RANK]
        parts = [rank.in_(wanted)] if wanted else []
        if "none" in filt.statuses:
            parts += [rank.is_(None), rank == 0]
        conds.append(or_(*parts))
    if filt.q:
        conds.append(or_(text_contains(Project.title, filt.q), text_contains(Project.need, filt.q)))
    if filt.programme:
        conds.append(Project.id.in_(select(ProgrammeProject.project_id)
                                    .where(ProgrammeProject.programme_id == filt.programme)))
    return conds


def filtered_ids(user, filt: PortfolioFilter) -> Select:
    """``select(Project.id)`` of every project in the view (no order, no paging): for
    counts, side panels and ``Project.id.in_(...)``."""
    return select(Project.id).where(*filter_conditions(user, filt))


#: the project's long texts, left out of list queries (the database sorts whole rows)
LONG_TEXTS = (Project.need, Project.proposed_solution, Project.expected_benefits, Project.affected)


def portfolio_query(user, filt: PortfolioFilter) -> Select:
    """``select(Project)`` of the view: visible to `user`, filtered and sorted by `filt`,
    with the owner and the manager eagerly loaded and the long texts (need, proposed
    solution, expected benefits, affected) deferred — add ``.options(undefer(...))`` if a
    list shows them. Not paged: use ``paginate`` (or ``.limit()``/``.offset()``), or run
    it whole for an export."""
    return (select(Project).where(*filter_conditions(user, filt))
            .options(joinedload(Project.owner), joinedload(Project.manager), *[defer(c) for c in LONG_TEXTS])
            .order_by(*order_by_clauses(filt)))


# --- paging ---------------------------------------------------------------------------------
@dataclass
class Page:
    """One page of results: the items, and what is needed to draw the page links."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        """The 1-based number of the first item on this page (0 when empty)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1 if self.items else 0

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and `around` either side of the
        current one; None where pages are left out (an ellipsis)."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers = sorted(n for n in wanted if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in numbers:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def paginate(query: Select, page: int, per_page: int, *, scalars: bool = True, total: int | None = None) -> Page:
    """Run `query` for one page: a COUNT and a LIMIT/OFFSET select (two statements; one
    when the caller already knows the `total`).

    A page past the end shows the last page. `scalars=False` keeps whole rows (for a
    select of several columns)."""
    if total is None:
        total = db.session.execute(
            select(func.count()).select_from(query.order_by(None).options().subquery())
        ).scalar_one()
    pages = max(1, math.ceil(total / per_page)) if per_page else 1
    page = max(1, min(page, pages))
    result = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    items = list(result.unique().scalars()) if scalars else list(result)
    return Page(items=items, total=total, page=page, per_page=per_page)


# --- what each row shows besides the project ----------------------------------------------------
@dataclass
class ReportLights:
    """The traffic lights of a project's latest published status report."""

    report_id: int
    period_label: str
    published_at: datetime | None
    #: area code → "green" / "yellow" / "red" / None
    areas: dict[str, str | None]

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
    from app.models.portfolio import Programme

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
                   StatusReport.published_at, *cols)
            .where(StatusReport.id.in_(select(latest_report_id()).where(where)))):
        if row.project_id in out:
            out[row.project_id].report = ReportLights(
                report_id=row.id, period_label=row.period_label, published_at=row.published_at,
                areas={c: getattr(row, f"{c}_status") for c in AREA_CODES})

    # 4. the next open milestone
    for m in db.session.execute(
            select(Milestone.id, Milestone.project_id, Milestone.number, Milestone.description,
                   Milestone.due_date)
            .where(Milestone.id.in_(select(next_milestone_id()).where(where)))):
        if m.project_id in out:
            out[m.project_id].milestone = NextMilestone(id=m.id, number=m.number,
                                                        description=m.description, due_date=m.due_date)
    return out


__all__ = [
    "DEFAULT_PER_PAGE", "MAX_PER_PAGE", "PER_PAGE_CHOICES", "PORTFOLIO_STAGES", "SORT_COLUMNS",
    "STATUS_VALUES", "NextMilestone", "Page", "PortfolioFilter", "ReportLights", "RowDetails",
    "benefit_category", "benefit_progress", "benefits_progress", "is_measurable_benefit",
    "latest_measured_value", "budget", "filter_conditions", "filtered_ids",
    "fold", "next_milestone_due", "text_contains", "order_by_clauses", "paginate", "portfolio_query", "priority",
    "row_details", "status_rank", "visible_projects", "visible_projects_query",
]
