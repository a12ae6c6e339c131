"""Project pages."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app.audit.describe import describe
from app.extensions import db
from app.models import AuditEvent, Project
from app.people.fields import resolve_field
from app.people.owners import OwnerNotEligible
from app.projects import bp, services
from app.projects.access import get_project_or_404, require
from app.projects.forms import TransferOwnerForm, WithdrawForm
from app.projects.overview import overview_of
from app.workflow import PHASES, Action, Stage, TransitionRefused, check_owner_not_manager
from app.portfolio.visibility import visible_projects_query  # the one visibility rule of every list


@bp.route("/")
@login_required
def list_projects():
    """All ideas and projects with their stage."""
    stage = request.args.get("stage", "")
    q = visible_projects_query(current_user).options(
        joinedload(Project.owner), joinedload(Project.manager))
    if stage in {s.value for s in Stage} and stage != "draft":
        q = q.where(Project.stage == stage)
    projects = db.session.execute(q.order_by(Project.updated_at.desc())).unique().scalars().all()
    return render_template("projects/list.html", projects=projects, stage=stage,
                           stages=[s for s in Stage if s is not Stage.DRAFT])


@bp.route("/<int:project_id>")
@login_required
def show_project(project_id: int):
    """The project's overview: what it is, who is in it, where it stands."""
    project = get_project_or_404(project_id)
    if project.is_draft:
        return redirect(url_for("ideas.edit_draft", project_id=project.id))
    return _overview_page(project, overview=overview_of(project))


def _overview_page(project, status: int = 200, *, overview=None, withdraw_form=None, transfer_form=None):
    """The overview page (a refused withdrawal or hand-over shows it again without the
    overview's lead, with the form and its errors)."""
    return render_template("projects/show.html", project=project, phases=PHASES, overview=overview,
                           withdraw_form=withdraw_form or WithdrawForm(),
                           transfer_form=transfer_form or TransferOwnerForm(), active_tab="overview"), status


@bp.route("/<int:project_id>/history")
@login_required
def project_history(project_id: int):
    """Every change and decision, newest first, in plain Norwegian."""
    project = get_project_or_404(project_id)
    events = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.project_id == project.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    ).scalars().all()
    return render_template("projects/history.html", project=project, active_tab="history",
                           entries=[(e, describe(e)) for e in events])


def _project_for(action: Action, project_id: int):
    """The project (404 when missing or hidden), when the workflow rules let the signed-in
    person do `action` on it (403 otherwise)."""
    project = get_project_or_404(project_id)
    require(project.can(action, current_user))
    return project


@bp.route("/<int:project_id>/withdraw", methods=["POST"])
@login_required
def withdraw_project(project_id: int):
    """The submitter withdraws the idea or project (before BP2)."""
    project = _project_for(Action.WITHDRAW, project_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _overview_page(project, 422, withdraw_form=form)
    try:
        services.withdraw(project, current_user, form.comment.data or "")
    except TransitionRefused as exc:
        form.comment.errors = [*form.comment.errors, _(exc.message)]
        return _overview_page(project, 422, withdraw_form=form)
    flash(_("Prosjektet er trukket."), "success")
    return redirect(url_for("projects.show_project", project_id=project.id))


@bp.route("/<int:project_id>/owner", methods=["POST"])
@login_required
def transfer_owner(project_id: int):
    """Hand the owner role to someone else (the owner, or an administrator)."""
    project = _project_for(Action.TRANSFER_OWNER, project_id)
    form = TransferOwnerForm()
    new_owner = None
    if form.validate_on_submit():
        new_owner = resolve_field(form.owner_username, required_message=_("Velg den nye prosjekteieren."))
    field = form.owner_username
    if new_owner is not None:
        if new_owner.id == project.owner_id:
            field.errors = [*field.errors, _("%(name)s er allerede prosjekteier.", name=new_owner.display_name)]
        else:
            try:
                check_owner_not_manager(new_owner.id, project.manager_id)
                services.transfer_owner(project, new_owner, current_user)
            except TransitionRefused as exc:
                field.errors = [*field.errors, _(exc.message) + " " + _("Velg en annen prosjektleder først.")]
            except OwnerNotEligible as exc:
                field.errors = [*field.errors, exc.message]
    if new_owner is None or field.errors:
        return _overview_page(project, 422, transfer_form=form)
    flash(_("%(name)s er nå prosjekteier.", name=new_owner.display_name), "success")
    return redirect(url_for("projects.show_project", project_id=project.id))
