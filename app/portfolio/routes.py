"""The portfolio overview (/portfolio), its exports, saved views, the benefits list and the
"Skjermet" switch of a project.

The overview is one page whose results block (table, panels, paging) htmx replaces when a
filter changes; the same URL without htmx renders the whole page with the same results.
"""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from app.extensions import db
from app.forms import EmptyForm
from app.models import Project, User
from app.models.benefit import BENEFIT_KINDS
from app.models.portfolio import PriorityScore, Programme, SavedView
from app.models.risk import LEVEL_LABELS
from app.models.status_report import AREAS
from app.money import format_nok
from app.paging import paginate
from app.portfolio import bp, export, services
from app.portfolio.forms import RestrictedForm, SavedViewForm
from app.portfolio.panels import (BENEFIT_CATEGORIES, benefits_page, benefits_summary, risk_heat_map,
                                  stage_funnel)
from app.portfolio.filters import PER_PAGE_CHOICES, PORTFOLIO_STAGES, SORT_COLUMNS, STATUS_VALUES, PortfolioFilter
from app.portfolio.query import portfolio_query
from app.portfolio.rows import row_details
from app.portfolio.visibility import visible_projects
from app.projects.access import get_submitted_project_or_404, require
from app.i18n import decimal, group_thousands
from app.templating import stage_label
from app.workflow.i18n import N_

PAGE = "portfolio/overview.html"
PANELS = "portfolio/panels.html"
SAVED_VIEWS = "portfolio/_saved_views.html"

#: Norwegian names of the status filter's values
STATUS_LABELS = {"green": N_("Grønn"), "yellow": N_("Gul"), "red": N_("Rød"), "none": N_("Ingen rapport")}


def wants_fragment() -> bool:
    """An htmx request for a block. History restores (back button with htmx's history
    cache off) and boosted requests want the whole page."""
    h = request.headers
    return h.get("HX-Request") == "true" and not h.get("HX-History-Restore-Request") and not h.get("HX-Boosted")


def _vary(response: Response) -> Response:
    response.headers["Vary"] = "HX-Request"
    return response


# --- the overview ---------------------------------------------------------------------------
#: above this many people, the owner and manager filters are text fields, not lists
PEOPLE_LIST_LIMIT = 150


def distinct_units(visible) -> list[str]:
    """The units of the projects `visible` lets through, in order, by a loose index scan
    (one index seek per unit, WITH RECURSIVE): the cost follows the number of units, not
    the number of projects."""
    def after(previous):
        return (select(Project.unit).where(visible, Project.unit > previous)
                .order_by(Project.unit).limit(1).scalar_subquery())

    units = select(after("").label("unit")).cte("units", recursive=True)
    units = units.union_all(select(after(units.c.unit)).where(units.c.unit.is_not(None)))
    rows = db.session.execute(select(units.c.unit).where(units.c.unit.is_not(None)).order_by(units.c.unit))
    return list(rows.scalars())


def filter_options(user) -> dict:
    """The choices of the filter form, taken from the projects this person may see (a
    few small queries). A municipality with more owners than fit in a list gets a text
    field instead (None)."""
    visible = visible_projects(user)
    units = distinct_units(visible)

    def people(column):
        ids = list(db.session.execute(select(column).where(visible, column.is_not(None)).distinct()
                                      .limit(PEOPLE_LIST_LIMIT + 1)).scalars())
        if len(ids) > PEOPLE_LIST_LIMIT:  # too many for a list: no need to read their names
            return None
        return db.session.execute(select(User.username, User.display_name).where(User.id.in_(ids))
                                  .order_by(User.name_key, User.username)).all() if ids else []

    programmes = db.session.execute(select(Programme.id, Programme.name).order_by(Programme.name)).all()
    return {
        "stages": [(code, stage_label(code)) for code in PORTFOLIO_STAGES],
        "units": units,
        "owners": people(Project.owner_id),
        "managers": people(Project.manager_id),
        "statuses": [(code, _(STATUS_LABELS[code])) for code in STATUS_VALUES],
        "programmes": programmes,
        "per_page": PER_PAGE_CHOICES,
    }


def cell_labels() -> dict:
    """The words the table repeats in every row, translated once per page (flask-babel
    looks a translation up anew on every call, and a page has 50 rows of them)."""
    lights = {code: _(label) for code, label in (("green", "Grønn"), ("yellow", "Gul"), ("red", "Rød"))}
    return {
        "lights": lights,
        "lights_lower": {code: label.lower() for code, label in lights.items()},
        "not_rated": _("Ikke vurdert"),
        "not_rated_lower": _("ikke vurdert"),
        "areas": [(code, _(label), _(label)[:1]) for code, label in AREAS],
        "status_per_area": _("Status per område"),
        "no_report": _("Ingen rapport"),
        "reached": _("%(r)s av %(n)s nådd"),
        "not_measured_one": _("%(num)s gevinst, ikke målt"),
        "not_measured_many": _("%(num)s gevinster, ikke målt"),
        "restricted": _("Skjermet"),
        "overdue": _("Forsinket"),
        "programme": _("Program:"),
        "not_scored": _("Ikke vurdert"),
    }


def results_context(user, filt: PortfolioFilter) -> dict:
    """What the results block needs: the page of projects and their details. Its cost
    follows the page, not the portfolio: the panels, which count the whole view, come in
    a request of their own (panels_context) after the table is shown."""
    page = paginate(portfolio_query(user, filt), filt.page, filt.per_page)
    if page.page != filt.page:  # asked past the end: show (and link from) the last page
        from dataclasses import replace
        filt = replace(filt, page=page.page)
    return {
        "filt": filt,
        "page": page,
        "details": row_details([p.id for p in page.items]),
        "sort_columns": SORT_COLUMNS,
        "L": cell_labels(),
    }


def panels_context(user, filt: PortfolioFilter) -> dict:
    """The panels of the view (exact for what the person may see, read live): the funnel,
    whose sum is also the view's exact number of projects, the risk map and benefits."""
    return {
        "filt": filt,
        "funnel": stage_funnel(user, filt),
        "heat": risk_heat_map(user, filt),
        "benefits": benefits_summary(user, filt),
        "level_labels": LEVEL_LABELS,
        "benefit_categories": BENEFIT_CATEGORIES,
    }


def saved_views_context(user, filt: PortfolioFilter, form: SavedViewForm | None = None, message: str = "") -> dict:
    views = db.session.execute(
        select(SavedView).where(SavedView.user_id == user.id).order_by(SavedView.name)).scalars().all()
    return {"views": views, "view_form": form or SavedViewForm(formdata=None), "view_message": message,
            "delete_form": EmptyForm(), "filt": filt}


@bp.route("/")
@bp.route("")
@login_required
def overview():
    """Every project the person may see, filtered, sorted and paged from the query string."""
    filt = PortfolioFilter.from_args(request.args)
    ctx = results_context(current_user, filt)
    if wants_fragment():
        # The browser's address shows the tidy query (no empty fields), ready to share.
        qs = ctx["filt"].query_string()
        return _vary(Response(render_block(PAGE, "results", **ctx), headers={
            "HX-Push-Url": url_for("portfolio.overview") + (f"?{qs}" if qs else "")}))
    ctx.update(saved_views_context(current_user, ctx["filt"]))
    return _vary(Response(render_template(PAGE, options=filter_options(current_user), **ctx)))


@bp.route("/panels")
@login_required
def panels():
    """The view's panels (phases, risk map, benefits) and its exact number of projects:
    htmx loads them into the overview once the table is there; without JavaScript, the
    overview links to this page."""
    filt = PortfolioFilter.from_args(request.args)
    ctx = panels_context(current_user, filt)
    if wants_fragment():
        return _vary(Response(render_block(PANELS, "panels", **ctx)))
    return _vary(Response(render_template(PANELS, **ctx)))


# --- exports ----------------------------------------------------------------------------------
def _export_name(ext: str) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return f"portefolje-{datetime.now(ZoneInfo('Europe/Oslo')):%Y-%m-%d}.{ext}"


@bp.route("/export.csv")
@login_required
def export_csv():
    """The view's rows (every page) as CSV for Norwegian Excel, streamed as they are read."""
    filt = PortfolioFilter.from_args(request.args)
    body = export.iter_csv(export.columns(), export.iter_rows(current_user, filt))
    return Response(stream_with_context(body), mimetype="text/csv", headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{_export_name("csv")}"'})


@bp.route("/export.xlsx")
@login_required
def export_xlsx():
    """The view's rows (every page) as an Excel workbook, built in a write-only workbook
    and streamed from its temporary file."""
    filt = PortfolioFilter.from_args(request.args)
    body = export.iter_xlsx(export.columns(), export.iter_rows(current_user, filt), title=_("Portefølje"))
    return Response(stream_with_context(body), headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f'attachment; filename="{_export_name("xlsx")}"'})


# --- saved views ------------------------------------------------------------------------------
def _saved_views_response(filt: PortfolioFilter, form=None, message: str = "", status: int = 200):
    html = render_template(SAVED_VIEWS, **saved_views_context(current_user, filt, form, message))
    return _vary(Response(html, status=status))


@bp.route("/views", methods=["POST"])
@login_required
def save_view():
    """Save the current query string under a name (the same name replaces the old view)."""
    form = SavedViewForm()
    filt = PortfolioFilter.from_args(_args_of(form.query.data or ""))
    if not form.validate_on_submit():
        if request.headers.get("HX-Request") == "true":
            return _saved_views_response(filt, form, status=422)
        ctx = results_context(current_user, filt)
        ctx.update(saved_views_context(current_user, ctx["filt"], form))
        return render_template(PAGE, options=filter_options(current_user), **ctx), 422
    view, created = services.save_view(current_user, form.name.data, form.query.data or "")
    message = (_("Visningen «%(n)s» er lagret.", n=view.name) if created
               else _("Visningen «%(n)s» er oppdatert.", n=view.name))
    if request.headers.get("HX-Request") == "true":
        return _saved_views_response(filt, message=message)
    flash(message, "success")
    return redirect(url_for("portfolio.overview") + (f"?{view.query}" if view.query else ""))


@bp.route("/views/<int:view_id>/delete", methods=["POST"])
@login_required
def delete_view(view_id: int):
    """Delete one of my saved views (another person's answers 404)."""
    view = db.get_or_404(SavedView, view_id)
    if view.user_id != current_user.id:
        abort(404)
    EmptyForm.valid_or_400()
    name = view.name
    services.delete_view(view)
    back = request.form.get("query", "")
    filt = PortfolioFilter.from_args(_args_of(back))
    message = _("Visningen «%(n)s» er slettet.", n=name)
    if request.headers.get("HX-Request") == "true":
        return _saved_views_response(filt, message=message)
    flash(message, "success")
    qs = filt.query_string()
    return redirect(url_for("portfolio.overview") + (f"?{qs}" if qs else ""))


def _args_of(query_string: str):
    from urllib.parse import parse_qsl

    from werkzeug.datastructures import MultiDict

    return MultiDict(parse_qsl((query_string or "").lstrip("?")))


# --- every benefit ----------------------------------------------------------------------------
@bp.route("/benefits")
@login_required
def benefits():
    """Every benefit of the view's projects with its latest measurement against baseline
    and target (the same filters as the overview)."""
    filt = PortfolioFilter.from_args(request.args)
    page = benefits_page(current_user, filt, filt.page, filt.per_page)
    summary = benefits_summary(current_user, filt)
    return render_template("portfolio/benefits.html", filt=filt, page=page, summary=summary,
                           benefit_categories=BENEFIT_CATEGORIES, benefit_kinds=BENEFIT_KINDS,
                           status_labels=STATUS_LABELS)


# --- restricted ("Skjermet") -------------------------------------------------------------------
@bp.route("/projects/<int:project_id>/restricted", methods=["POST"])
@login_required
def set_restricted(project_id: int):
    """The owner (or an administrator) restricts the project or lifts the restriction."""
    project = get_submitted_project_or_404(project_id)
    require(project.can_set_restricted(current_user))
    form = RestrictedForm()
    if not form.validate_on_submit() or form.restricted.data not in ("0", "1"):
        abort(400)
    restricted = form.restricted.data == "1"
    if services.set_restricted(project, restricted):
        flash(_("Prosjektet er skjermet. Bare prosjektets egne roller, porteføljestyringen og administratorer "
                "ser det nå.") if restricted else _("Skjermingen er opphevet. Alle ansatte kan se prosjektet."),
              "success")
    target = url_for("projects.show_project", project_id=project.id)
    if request.headers.get("HX-Request") == "true":
        return Response(status=204, headers={"HX-Redirect": target})
    return redirect(target, code=303)


def portfolio_facts(project) -> dict:
    """The project's programme and priority score, for its overview (two small queries)."""
    from sqlalchemy.orm import joinedload

    from app.models.portfolio import ProgrammeProject

    link = db.session.execute(select(ProgrammeProject).where(ProgrammeProject.project_id == project.id)
                              .options(joinedload(ProgrammeProject.programme))).scalar_one_or_none()
    score = db.session.execute(select(PriorityScore).where(PriorityScore.project_id == project.id)
                               .options(joinedload(PriorityScore.scored_by))).scalar_one_or_none()
    return {"programme": link.programme if link else None, "score": score}


@bp.app_context_processor
def _portfolio_helpers():
    """For the portfolio card on the project overview (templates/portfolio/_project_card.html)."""
    return {"portfolio_facts": portfolio_facts, "restricted_form": RestrictedForm}


@bp.app_template_filter("thousands")
def thousands(value) -> str:
    """12345 → "12 345" (a non-breaking space between thousands; "12,345" in English)."""
    return group_thousands(value) if value is not None else ""


@bp.context_processor
def _page_helpers():
    """`nok(value)` and `today` (in Oslo) for the portfolio's templates."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return {"nok": format_nok, "num": format_number, "today": datetime.now(ZoneInfo("Europe/Oslo")).date()}


def format_number(value) -> str:
    """A measured value as Norwegians write it: 1 234,5 (no decimals when whole)."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return group_thousands(value)
    return decimal(round(float(value), 2))
