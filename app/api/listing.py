"""GET /api/v1/projects: the project list for integrations (Power BI, Excel, scripts).

The same filters as the portfolio overview, as query parameters (`?stage=planning&unit=…`),
and the same visibility: the list is built by the portfolio's own query, so a project
hidden from a person on /portfolio is hidden from their feed as well. Each item has
exactly the shape of GET /api/v1/projects/<id>.
"""
from __future__ import annotations

from dataclasses import replace

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.api import bp
from app.api.serializers import project_json
from app.extensions import db
from app.paging import is_number
from app.models import GateDecision, GateRequest, Project
from app.portfolio.filters import PORTFOLIO_STAGES, SORT_COLUMNS, STATUS_VALUES, PortfolioFilter
from app.portfolio.query import filtered_ids, portfolio_query

#: items per page when the caller does not say
DEFAULT_PER_PAGE = 50
#: the largest page a caller may ask for
MAX_PER_PAGE = 500
#: pages beyond this are refused rather than sent to the database as a huge OFFSET
MAX_PAGE = 1_000_000

#: what project_json reads, loaded in a fixed number of queries whatever the page size
JSON_LOAD_OPTIONS = (
    joinedload(Project.owner),
    joinedload(Project.manager),
    joinedload(Project.submitted_by),
    selectinload(Project.gate_requests).options(
        joinedload(GateRequest.requested_by),
        selectinload(GateRequest.decisions).joinedload(GateDecision.decided_by),
    ),
)


def _int_arg(name: str, default: int, maximum: int, message: str) -> int:
    """A whole number from 1 to `maximum` from the query string, else 400 with `message`."""
    raw = request.args.get(name)
    if raw is None or raw.strip() == "":
        return default
    raw = raw.strip()
    if not is_number(raw) or not 1 <= int(raw) <= maximum:
        abort(400, message)
    return int(raw)


def paging() -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1 to 500, default 50) from the query string."""
    page = _int_arg("page", 1, MAX_PAGE,
                    _("«page» må være et helt tall fra 1 og oppover."))
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE,
                        _("«per_page» må være et helt tall fra 1 til %(max)s.", max=MAX_PER_PAGE))
    return page, per_page


def portfolio_filter() -> PortfolioFilter:
    """The portfolio's filter from the query string. The portfolio page ignores values it
    does not know (a shared link never breaks); a feed refuses them instead, so a typo in a
    Power BI query gives an error rather than quietly the whole portfolio."""
    args = request.args
    for name, allowed in (("stage", PORTFOLIO_STAGES), ("status", STATUS_VALUES)):
        wrong = [v for v in args.getlist(name) if v.strip() and v.strip() not in allowed]
        if wrong:
            abort(400, _("Ukjent verdi for «%(p)s»: «%(v)s». Gyldige verdier: %(ok)s.",
                         p=name, v=wrong[0], ok=", ".join(allowed)))
    if args.get("sort") and args["sort"] not in SORT_COLUMNS:
        abort(400, _("Ukjent verdi for «sort»: «%(v)s». Gyldige verdier: %(ok)s.",
                     v=args["sort"], ok=", ".join(SORT_COLUMNS)))
    if args.get("dir") and args["dir"] not in ("asc", "desc"):
        abort(400, _("«dir» må være «asc» eller «desc»."))
    programme = (args.get("programme") or "").strip()
    if programme and not (is_number(programme) and 0 < int(programme) < 2**31):
        abort(400, _("«programme» må være nummeret til et program."))
    return PortfolioFilter.from_args(args, max_per_page=MAX_PER_PAGE)


@bp.route("/projects")
@login_required
def list_projects():
    """Projects the caller may see, filtered and sorted like /portfolio, a page at a time.
    A page past the end is empty (so a client that pages until nothing comes stops)."""
    page, per_page = paging()
    filt = replace(portfolio_filter(), page=page, per_page=per_page)
    total = db.session.execute(
        select(func.count()).select_from(filtered_ids(current_user, filt).subquery())
    ).scalar_one()
    projects = db.paginate(portfolio_query(current_user, filt).options(*JSON_LOAD_OPTIONS), page=page,
                           per_page=per_page, max_per_page=None, error_out=False, count=False).items
    return jsonify({"items": [project_json(p) for p in projects], "page": page,
                    "per_page": per_page, "total": total})
