"""The portfolio's one query: the projects a person sees, filtered, sorted and paged.

The portfolio overview, its side panels and exports, the programme pages and the
``/api/v1/projects`` feed all list projects through this module, so that every one of
them shows exactly the same projects for the same person and the same query string.

Typical use (a view)::

    from app.portfolio.filters import PortfolioFilter
    from app.portfolio.query import paginate, portfolio_query
    from app.portfolio.rows import row_details

    filt = PortfolioFilter.from_args(request.args)               # ?stage=planning&q=…&sort=…
    page = paginate(portfolio_query(current_user, filt), filt.page, filt.per_page)
    details = row_details([p.id for p in page.items])             # colours, milestone, budget …

The API uses the same three calls with ``PortfolioFilter.from_args(request.args,
max_per_page=500)`` and adds its own eager loads (``.options(selectinload(...))``) to the
select that ``portfolio_query`` returns.

The parts live beside this module: who sees what in ``visibility``, the filter read from
the query string in ``filters``, the derived SQL columns and sort expressions in
``columns``, the case-insensitive text search in ``textsearch`` and what each row shows
in ``rows``. Their public names are re-exported here too, so that older imports from
``app.portfolio.query`` keep working.

Everything here runs on SQLite and PostgreSQL, and paging happens in SQL.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, literal_column, or_, select
from sqlalchemy.orm import defer, joinedload

from app.extensions import db
from app.models import Project, User
from app.models.portfolio import ProgrammeProject
from app.portfolio.columns import (RANK_STATUS, STATUS_RANK, benefit_category, benefit_progress,
                                   benefits_progress, budget, is_measurable_benefit, latest_measured_value,
                                   next_milestone_due, order_by_clauses, priority, status_rank)
from app.portfolio.filters import (DEFAULT_PER_PAGE, MAX_PER_PAGE, PER_PAGE_CHOICES, PORTFOLIO_STAGES,
                                   SORT_COLUMNS, STATUS_VALUES, PortfolioFilter)
from app.portfolio.rows import NextMilestone, ReportLights, RowDetails, row_details
from app.portfolio.textsearch import fold, text_contains
from app.portfolio.visibility import visible_projects, visible_projects_query


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
#: how many pages past the one shown are counted exactly; beyond that the total reads
#: "more than …", so that counting costs the same at 1,000 and at 50,000 projects
COUNT_AHEAD_PAGES = 10


@dataclass
class Page:
    """One page of results: the items, and what is needed to draw the page links.

    `total` is exact when `total_exact`; otherwise at least that many rows exist (the
    count stopped after COUNT_AHEAD_PAGES pages beyond this one)."""

    items: list
    total: int
    page: int
    per_page: int
    total_exact: bool = True

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
        current one; None where pages are left out (an ellipsis). When the total is not
        known exactly, the list ends in None (more pages follow)."""
        last = self.pages if self.total_exact else min(self.pages, self.page + around)
        wanted = {1, last, *range(self.page - around, self.page + around + 1)}
        numbers = sorted(n for n in wanted if 1 <= n <= last)
        out: list[int | None] = []
        for n in numbers:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        if not self.total_exact:
            out.append(None)
        return out


def bounded_count(query: Select, limit: int) -> tuple[int, bool]:
    """(rows, exact): the number of rows `query` gives, counting no further than `limit`
    (one statement whose cost follows `limit`, not the size of the table)."""
    inner = (query.with_only_columns(literal_column("1"), maintain_column_froms=True)
             .order_by(None).limit(limit + 1).subquery())
    counted = db.session.execute(select(func.count()).select_from(inner)).scalar_one()
    return (counted, True) if counted <= limit else (limit, False)


def paginate(query: Select, page: int, per_page: int, *, scalars: bool = True, total: int | None = None) -> Page:
    """Run `query` for one page: a bounded COUNT (unless the caller knows the `total`)
    and the page itself through Flask-SQLAlchemy's ``db.paginate`` (two statements).

    The count stops COUNT_AHEAD_PAGES pages past the one asked for, so a page costs the
    same whatever the size of the portfolio; the total is then a lower bound
    (``Page.total_exact``). A page past the end shows the last page. `scalars=False`
    keeps whole rows (for a select of several columns)."""
    exact = True
    if total is None:
        total, exact = bounded_count(query, (max(1, page) + COUNT_AHEAD_PAGES) * per_page)
    pages = max(1, math.ceil(total / per_page)) if per_page else 1
    page = max(1, min(page, pages))
    if scalars:
        items = list(db.paginate(query, page=page, per_page=per_page, max_per_page=None, error_out=False,
                                 count=False).items)
    else:
        items = list(db.session.execute(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total, page=page, per_page=per_page, total_exact=exact)


__all__ = [
    # filtering and paging (this module)
    "COUNT_AHEAD_PAGES", "Page", "bounded_count", "filter_conditions", "filtered_ids", "paginate", "portfolio_query",
    # re-exported from the modules beside this one
    "DEFAULT_PER_PAGE", "MAX_PER_PAGE", "PER_PAGE_CHOICES", "PORTFOLIO_STAGES", "SORT_COLUMNS",
    "STATUS_VALUES", "NextMilestone", "PortfolioFilter", "RANK_STATUS", "ReportLights", "RowDetails",
    "STATUS_RANK", "benefit_category", "benefit_progress", "benefits_progress", "is_measurable_benefit",
    "latest_measured_value", "budget", "fold", "next_milestone_due", "text_contains", "order_by_clauses",
    "priority", "row_details", "status_rank", "visible_projects", "visible_projects_query",
]
