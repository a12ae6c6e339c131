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

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import defer, joinedload

from app.models import Project, User
from app.models.portfolio import ProgrammeProject
from app.paging import COUNT_AHEAD_PAGES, Page, bounded_count, paginate
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


__all__ = [
    # filtering (this module)
    "filter_conditions", "filtered_ids", "portfolio_query",
    # re-exported from the modules beside this one and from app.paging
    "COUNT_AHEAD_PAGES", "Page", "bounded_count", "paginate",
    "DEFAULT_PER_PAGE", "MAX_PER_PAGE", "PER_PAGE_CHOICES", "PORTFOLIO_STAGES", "SORT_COLUMNS",
    "STATUS_VALUES", "NextMilestone", "PortfolioFilter", "RANK_STATUS", "ReportLights", "RowDetails",
    "STATUS_RANK", "benefit_category", "benefit_progress", "benefits_progress", "is_measurable_benefit",
    "latest_measured_value", "budget", "fold", "next_milestone_due", "text_contains", "order_by_clauses",
    "priority", "row_details", "status_rank", "visible_projects", "visible_projects_query",
]
