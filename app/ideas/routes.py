"""Ny idé: write, keep as a private draft, and submit."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from app import is_htmx
from app.forms import EmptyForm
from app.directory import DirectoryUnavailable
from app.extensions import db
from app.ideas import bp
from app.ideas.forms import IdeaForm
from app.ideas.services import delete_draft_project, save_draft, submit_idea
from app.models import Project
from app.people.owners import OwnerNotEligible, require_eligible_owner
from app.people.resolve import PersonNotResolved, resolve_person, user_by_username
from app.workflow import Action


def _get_draft_or_404(project_id: int, action: Action = Action.EDIT_DRAFT) -> Project:
    """The draft, if the signed-in person may see it (404) and take `action` on it (403)."""
    project = db.get_or_404(Project, project_id)
    if not project.can_view(current_user):
        abort(404)
    if not project.can(action, current_user):
        abort(403)
    return project


def _render(form: IdeaForm, project: Project | None, status: int = 200, errors=None):
    context = {"form": form, "project": project, "extra_errors": errors or {}}
    if is_htmx() and status == 422:
        return render_block("ideas/form.html", "idea_form", **context), status
    return render_template("ideas/form.html", **context), status


def _handle(form: IdeaForm, project: Project | None):
    """Shared POST handling for new and existing drafts.

    Every error is found in one go (the form's validators, what "Send inn" needs, and the
    proposed owner looked up once and checked against who may own projects), so the
    person fixes all of them at once.
    """
    action = request.form.get("action", "submit")
    valid = form.validate_on_submit()
    errors = form.submission_errors() if action == "submit" else {}
    owner, owner_unknown_now = None, False
    field = form.owner_username
    if not field.errors and "owner_username" not in errors:
        try:
            owner = resolve_person(field.data, field.chosen, owners_only=True)
            if owner is not None:
                require_eligible_owner(owner)
        except (PersonNotResolved, OwnerNotEligible) as exc:
            owner = None
            errors["owner_username"] = [exc.message]
        except DirectoryUnavailable:
            if action == "submit":
                errors["owner_username"] = [_("Brukerkatalogen svarer ikke akkurat nå. Prøv igjen om "
                                              "litt, eller lagre som kladd.")]
            else:
                owner_unknown_now = True  # a draft is kept anyway; the owner is chosen later
    if not valid or errors:
        return _render(form, project, 422, errors)
    project = save_draft(project, form, current_user, owner=owner, audit=action != "submit")
    if action == "submit":
        submit_idea(project, current_user)
        flash(_("Ideen er sendt inn. %(name)s har fått beskjed og ser den som en beslutning som venter "
                "ved BP1.", name=owner.display_name), "success")
    elif owner_unknown_now:
        flash(_("Kladden er lagret, men uten foreslått prosjekteier: brukerkatalogen svarer ikke "
                "akkurat nå. Velg prosjekteier igjen før du sender inn."), "warning")
    else:
        flash(_("Kladden er lagret. Bare du kan se den."), "success")
    target = url_for("projects.show_project", project_id=project.id) if action == "submit" \
        else url_for("ideas.edit_draft", project_id=project.id)
    if is_htmx():
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_idea():
    """The "Ny idé" form, open to every employee."""
    form = IdeaForm()
    if request.method == "GET":
        form.unit.data = current_user.unit
        form.owner_username.data = current_user.leader_username or ""
        try:  # known locally, so the picker shows the leader's name, unit and title
            user_by_username(current_user.leader_username)
        except DirectoryUnavailable:
            pass  # the picker shows the username; sending in looks the leader up again
        return _render(form, None)
    return _handle(form, None)


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit_draft(project_id: int):
    """Continue a private draft."""
    project = _get_draft_or_404(project_id)
    form = IdeaForm(obj=project)
    if request.method == "GET":
        form.owner_username.data = project.owner.username if project.owner else ""
        return _render(form, project)
    return _handle(form, project)


@bp.route("/<int:project_id>/delete", methods=["POST"])
@login_required
def delete_draft(project_id: int):
    project = _get_draft_or_404(project_id, Action.DELETE_DRAFT)
    EmptyForm.valid_or_400()
    delete_draft_project(project)
    flash(_("Kladden er slettet."), "success")
    return redirect(url_for("main.index"))


@bp.route("/validate", methods=["POST"])
@login_required
def validate_field():
    """Inline validation as the person types: the error slot of one field."""
    name = request.args.get("field", "")
    form = IdeaForm()
    if name not in form._fields or name == "csrf_token":
        abort(404)
    form.validate()
    errors = list(form[name].errors)
    if not errors and request.args.get("mode") == "submit":
        errors = form.submission_errors().get(name, [])
    return render_template("ideas/_field_error.html", name=name, errors=errors)
