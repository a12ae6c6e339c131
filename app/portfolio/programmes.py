"""Programmes (/portfolio/programmes): related projects steered together under an owner of
their own. The programme page sums up its projects' stages, status, risks and benefits —
always only the projects the viewer may see."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.forms import EmptyForm
from app.models import Project
from app.models.portfolio import Programme, ProgrammeProject
from app.models.risk import LEVEL_LABELS
from app.paging import paginate
from app.portfolio import bp, services
from app.portfolio.forms import ProgrammeForm
from app.portfolio.panels import (BENEFIT_CATEGORIES, benefits_summary, risk_heat_map, stage_funnel,
                                  status_counts, top_risks)
from app.portfolio.filters import PortfolioFilter
from app.portfolio.query import filter_conditions, portfolio_query
from app.portfolio.rows import row_details
from app.portfolio.textsearch import fold
from app.portfolio.visibility import visible_projects
from app.concurrency import StaleEdit, editing
from app.people.fields import resolve_field
from app.portfolio.routes import STATUS_LABELS, cell_labels, wants_fragment

PAGE = "portfolio/programme.html"
#: how many search results the "add a project" search shows
SEARCH_LIMIT = 10


def get_programme_or_404(programme_id: int) -> Programme:
    return db.one_or_404(select(Programme).where(Programme.id == programme_id).options(joinedload(Programme.owner)))


def _programme_to_change(programme_id: int, can: str) -> Programme:
    """The programme a button-only POST acts on: 404 when missing, 403 unless its
    permission `can` ("can_edit", "can_delete") lets the signed-in person in, 400 without
    a valid CSRF token."""
    programme = get_programme_or_404(programme_id)
    if not getattr(programme, can)(current_user):
        abort(403)
    EmptyForm.valid_or_400()
    return programme


@bp.route("/programmes")
@login_required
def list_programmes():
    """Every programme with how many of its projects the viewer may see."""
    counts = dict(db.session.execute(
        select(ProgrammeProject.programme_id, func.count())
        .join(Project, Project.id == ProgrammeProject.project_id)
        .where(visible_projects(current_user)).group_by(ProgrammeProject.programme_id)).all())
    programmes = db.session.execute(select(Programme).options(joinedload(Programme.owner))
                                    .order_by(Programme.name)).scalars().all()
    return render_template("portfolio/programmes.html", programmes=programmes, counts=counts,
                           Programme=Programme)


def _owner_from(form: ProgrammeForm):
    """The owner chosen in the form (the people picker), or None with an error on the field."""
    return resolve_field(form.owner_username, required_message=_("Velg programeieren."))


def _name_taken(name: str, programme: Programme | None = None) -> bool:
    q = select(Programme.id).where(func.lower(Programme.name) == name.strip().lower())
    if programme is not None:
        q = q.where(Programme.id != programme.id)
    return db.session.execute(q).first() is not None


@bp.route("/programmes/new", methods=["GET", "POST"])
@login_required
def new_programme():
    """A new programme (portefolje and administrators)."""
    if not Programme.can_create(current_user):
        abort(403)
    form = ProgrammeForm() if request.method == "POST" else ProgrammeForm(
        formdata=None, data={"owner_username": current_user.username})
    if request.method == "POST":
        if form.validate_on_submit():
            owner = _owner_from(form)
            if _name_taken(form.name.data):
                form.name.errors = [*form.name.errors, _("Det finnes allerede et program med dette navnet.")]
            elif owner is not None:
                programme = services.create_programme(form.name.data, form.description.data, owner, current_user)
                flash(_("Programmet «%(n)s» er opprettet.", n=programme.name), "success")
                return redirect(url_for("portfolio.show_programme", programme_id=programme.id), code=303)
        return render_template("portfolio/programme_form.html", form=form, programme=None), 422
    return render_template("portfolio/programme_form.html", form=form, programme=None)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@login_required
def edit_programme(programme_id: int):
    """Change name, description or owner (portefolje, administrators, the programme owner)."""
    programme = get_programme_or_404(programme_id)
    if not programme.can_edit(current_user):
        abort(403)
    if request.method == "GET":
        form = ProgrammeForm(formdata=None, data={
            "name": programme.name, "description": programme.description,
            "owner_username": programme.owner.username, "version": str(programme.version)})
        return render_template("portfolio/programme_form.html", form=form, programme=programme)
    form = ProgrammeForm()
    stale = False
    if form.validate_on_submit():
        owner = _owner_from(form)
        try:
            with editing(programme, form.version.data):
                if _name_taken(form.name.data, programme):
                    form.name.errors = [*form.name.errors, _("Det finnes allerede et program med dette navnet.")]
                elif owner is not None:
                    services.update_programme(programme, form.name.data, form.description.data, owner)
        except StaleEdit as exc:
            stale, programme = True, exc.current
        else:
            if not form.errors:
                flash(_("Programmet er lagret."), "success")
                return redirect(url_for("portfolio.show_programme", programme_id=programme.id), code=303)
    if stale:
        form.version.data = str(programme.version)
    return render_template("portfolio/programme_form.html", form=form, programme=programme,
                           stale=stale), 409 if stale else 422


@bp.route("/programmes/<int:programme_id>/delete", methods=["POST"])
@login_required
def delete_programme(programme_id: int):
    """Delete the programme (portefolje and administrators); its projects stay."""
    programme = _programme_to_change(programme_id, "can_delete")
    name = programme.name
    services.delete_programme(programme)
    flash(_("Programmet «%(n)s» er slettet. Prosjektene finnes fortsatt i porteføljen.", n=name), "success")
    return redirect(url_for("portfolio.list_programmes"), code=303)


def _search(programme: Programme, text: str) -> list[Project]:
    """Projects the viewer may see, not in any programme, whose title or number matches."""
    text = " ".join(text.split())[:200]
    if not text:
        return []
    in_any = select(ProgrammeProject.project_id)
    match = fold(Project.title).contains(text.lower(), autoescape=True)
    if text.isdigit():
        match = match | (Project.id == int(text))
    return list(db.session.execute(
        select(Project).where(visible_projects(current_user), Project.id.not_in(in_any), match,
                              Project.stage.not_in(("rejected", "withdrawn", "completed")))
        .order_by(fold(Project.title), Project.id).limit(SEARCH_LIMIT)).scalars())


@bp.route("/programmes/<int:programme_id>")
@login_required
def show_programme(programme_id: int):
    """The programme's summary and its projects."""
    programme = get_programme_or_404(programme_id)
    find = request.args.get("find", "")
    results = _search(programme, find) if programme.can_edit(current_user) else []
    if wants_fragment() and "find" in request.args:
        return render_block(PAGE, "search_results", programme=programme, find=find, results=results,
                            empty_form=EmptyForm())
    filt = PortfolioFilter(programme=programme.id, sort="stage", per_page=500)
    page = paginate(portfolio_query(current_user, filt), 1, 500)
    return render_template(
        PAGE, programme=programme, find=find, results=results, empty_form=EmptyForm(), page=page,
        details=row_details([p.id for p in page.items]), funnel=stage_funnel(current_user, filt),
        heat=risk_heat_map(current_user, filt), benefits=benefits_summary(current_user, filt),
        statuses=status_counts(current_user, filt), risks=top_risks(current_user, filt),
        status_labels=STATUS_LABELS, level_labels=LEVEL_LABELS, benefit_categories=BENEFIT_CATEGORIES,
        L=cell_labels(), portfolio_qs=PortfolioFilter(programme=programme.id).query_string())


@bp.route("/programmes/<int:programme_id>/projects", methods=["POST"])
@login_required
def add_programme_project(programme_id: int):
    """Put a project the editor may see into the programme."""
    programme = _programme_to_change(programme_id, "can_edit")
    try:
        project_id = int(request.form.get("project_id", ""))
    except ValueError:
        abort(404)
    project = db.session.execute(select(Project).where(
        Project.id == project_id, *filter_conditions(current_user, PortfolioFilter()))).scalar_one_or_none()
    if project is None:
        abort(404)
    try:
        services.add_project(programme, project, current_user)
        flash(_("«%(t)s» er lagt til i programmet.", t=project.title), "success")
    except services.ProgrammeConflict as exc:
        if exc.programme.id == programme.id:
            flash(_("«%(t)s» er allerede med i programmet.", t=project.title), "info")
        else:
            flash(_("«%(t)s» hører allerede til programmet «%(p)s». Et prosjekt kan bare være med i ett program; "
                    "ta det ut der først.", t=project.title, p=exc.programme.name), "error")
            return redirect(url_for("portfolio.show_programme", programme_id=programme.id), code=303)
    return redirect(url_for("portfolio.show_programme", programme_id=programme.id), code=303)


@bp.route("/programmes/<int:programme_id>/projects/<int:project_id>/remove", methods=["POST"])
@login_required
def remove_programme_project(programme_id: int, project_id: int):
    """Take a project out of the programme (it stays in the portfolio)."""
    programme = _programme_to_change(programme_id, "can_edit")
    link = db.get_or_404(ProgrammeProject, project_id)
    if link.programme_id != programme.id or not link.project.can_view(current_user):
        abort(404)
    title = link.project.title
    services.remove_project(programme, link)
    flash(_("«%(t)s» er tatt ut av programmet.", t=title), "success")
    return redirect(url_for("portfolio.show_programme", programme_id=programme.id), code=303)
