"""Project pages."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from app.audit import record
from app.audit.describe import describe
from app.extensions import db
from app.ideas.services import UnknownPerson, resolve_user
from app.models import AuditEvent, Project, ProjectMember
from app.projects import bp
from app.projects.access import get_project_or_404, require
from app.projects.forms import TransferOwnerForm, WithdrawForm
from app.workflow import PHASES, Action, Gate, Stage, TransitionRefused, check_owner_not_manager, perform


def visible_projects_query(user):
    """Projects this person may see in lists, in SQL so that counts and paging stay right.

    Drafts never appear in lists (their author finds them on Mitt); restricted projects
    only for their own people, the portefolje role and administrators."""
    q = db.select(Project).where(Project.stage != "draft")
    if not (user.is_admin or user.has_role("portefolje")):
        member = db.select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
        q = q.where(or_(
            Project.restricted.is_(False),
            Project.owner_id == user.id, Project.manager_id == user.id,
            Project.submitted_by_id == user.id, Project.id.in_(member),
        ))
    return q


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
    return render_template("projects/show.html", project=project, phases=PHASES,
                           withdraw_form=WithdrawForm(), transfer_form=TransferOwnerForm(),
                           active_tab="overview")


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


@bp.route("/<int:project_id>/withdraw", methods=["POST"])
@login_required
def withdraw_project(project_id: int):
    """The submitter withdraws the idea or project (before BP2)."""
    project = get_project_or_404(project_id)
    require(project.can(Action.WITHDRAW, current_user))
    form = WithdrawForm()
    if not form.validate_on_submit():
        return render_template("projects/show.html", project=project, phases=PHASES, withdraw_form=form,
                               transfer_form=TransferOwnerForm(), active_tab="overview"), 422
    outcome = perform(project.gate_state(), Action.WITHDRAW, project.workflow_roles(current_user),
                      today=date.today(), comment=form.comment.data or "")
    req = project.open_request
    if req is not None:
        req.status = "withdrawn"
    project.stage = outcome.stage.value
    db.session.flush()
    record("project.withdrawn", obj=project, project_id=project.id, comment=outcome.comment)
    flash(_("Prosjektet er trukket."), "success")
    return redirect(url_for("projects.show_project", project_id=project.id))


@bp.route("/<int:project_id>/owner", methods=["POST"])
@login_required
def transfer_owner(project_id: int):
    """Hand the owner role to someone else (the owner, or an administrator)."""
    project = get_project_or_404(project_id)
    require(project.can(Action.TRANSFER_OWNER, current_user))
    form = TransferOwnerForm()
    error = None
    new_owner = None
    if form.validate_on_submit():
        try:
            new_owner = resolve_user(form.owner_username.data)
            if new_owner is None:
                error = _("Velg den nye prosjekteieren.")
            else:
                check_owner_not_manager(new_owner.id, project.manager_id)
        except UnknownPerson:
            error = _("Fant ikke denne personen i brukerkatalogen.")
        except TransitionRefused as exc:
            error = _(exc.message) + " " + _("Velg en annen prosjektleder først.")
    if error or new_owner is None:
        form.owner_username.errors = [*form.owner_username.errors, *([error] if error else [])]
        return render_template("projects/show.html", project=project, phases=PHASES,
                               withdraw_form=WithdrawForm(), transfer_form=form, active_tab="overview"), 422
    old = project.owner
    project.owner = new_owner
    project.owner_confirmed_at = None if project.stage == "idea" else project.owner_confirmed_at
    db.session.flush()
    record("project.owner_transferred", obj=project, project_id=project.id,
           from_name=old.display_name if old else None, to_name=new_owner.display_name,
           to=new_owner.username)
    flash(_("%(name)s er nå prosjekteier.", name=new_owner.display_name), "success")
    return redirect(url_for("projects.show_project", project_id=project.id))
