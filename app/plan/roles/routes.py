"""The roles tab's routes: load, check the project's `can_<verb>(user)`, call one
operation (operations.py), render templates/plan/roles/tab.html (or its body for htmx).

Only the owner (and an administrator) changes the owner and the manager; the manager and
owner (and administrators) add and remove people in the other roles.
"""
from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.forms import EmptyForm
from app.models import MEMBER_ROLES
from app.people.owners import OwnerNotEligible, require_eligible_owner
from app.plan import bp
from app.plan.common import StaleEdit, check_version, editable_project, load_project, render_tab, require_edit
from app.plan.editing import answer, resolve_person
from app.plan.roles import operations
from app.plan.roles.catalogue import ROLE_BY_CODE, ROLES
from app.plan.roles.forms import role_form
from app.projects.services import transfer_owner
from app.workflow import TransitionRefused, check_owner_not_manager


# --- rendering --------------------------------------------------------------------------
def _context(project, *, forms: dict | None = None, open_role: str | None = None,
             notice: str = "", conflict: dict | None = None) -> dict:
    forms = dict(forms or {})
    for info in ROLES:
        if info.code not in forms:
            forms[info.code] = role_form(info.code, formdata=None)
            forms[info.code].version.data = project.version
    members = {code: [m for m in project.members if m.role == code] for code in MEMBER_ROLES}
    return dict(
        project=project, active_tab="roles", roles=ROLES, members=members, forms=forms,
        open_role=open_role, notice=notice, conflict=conflict or {},
        remove_form=EmptyForm(),
    )


def _render(project, status: int = 200, **kwargs):
    return render_tab("plan/roles/tab.html", "roles_body", status, **_context(project, **kwargs))


def _refused(project, role: str, form, status: int = 422, conflict: dict | None = None):
    """Show the role's form again with its errors and what was typed."""
    return _render(project, status, forms={role: form}, open_role=role, conflict=conflict)


def _saved(project, role: str, message: str):
    return answer("plan.roles", project, message, f"role-{role}", lambda: _render(project, notice=message))


# --- routes ----------------------------------------------------------------------------
@bp.route("/roles")
@login_required
def roles(project_id: int):
    """Every role with its description and the people in it."""
    project = load_project(project_id)
    return _render(project)


def _check_project_version(project, form, role: str):
    """Refuse (409) an owner or manager change made on an outdated page."""
    try:
        check_version(project, form.version.data)
    except StaleEdit as exc:
        current = project.owner if role == "owner" else project.manager
        form.version.data = project.version
        return _refused(project, role, form, 409, conflict={
            "role": role, "message": exc.message,
            "current": current.display_name if current else _("ingen")})
    return None


def _choose_leader(project, role: str, none_chosen: str, already, hint: str = ""):
    """Read the form naming a new owner or manager and check the choice.

    Returns (person, None), or (None, the response refusing it). `already(person)` is the
    message when the person holds the role now; owner ≠ manager is checked either way.
    """
    require_edit(project.can_change_leadership(current_user))
    form = role_form(role)
    form.validate_on_submit()
    stale = _check_project_version(project, form, role)
    if stale:
        return None, stale
    person = resolve_person(form.username, required_message=none_chosen)
    if person is not None:
        if person.id == (project.owner_id if role == "owner" else project.manager_id):
            form.username.errors.append(already(person))
        else:
            owner_id, manager_id = ((person.id, project.manager_id) if role == "owner"
                                    else (project.owner_id, person.id))
            try:
                check_owner_not_manager(owner_id, manager_id)
                if role == "owner":
                    require_eligible_owner(person)
            except OwnerNotEligible as exc:
                form.username.errors.append(exc.message)
            except TransitionRefused as exc:
                form.username.errors.append(" ".join(filter(None, (_(exc.message), hint))))
    if form.username.errors:
        return None, _refused(project, role, form)
    return person, None


@bp.route("/roles/owner", methods=["POST"])
@login_required
def change_owner(project_id: int):
    """Hand the prosjekteier role to someone else (the owner or an administrator)."""
    project = load_project(project_id)
    person, refusal = _choose_leader(
        project, "owner", _("Velg den nye prosjekteieren."),
        lambda p: _("%(n)s er allerede prosjekteier.", n=p.display_name),
        hint=_("Velg en annen prosjektleder først."))
    if refusal is not None:
        return refusal
    # The same operation as the hand-over on the overview page: same audit event, and
    # the new owner is told (and sent to a decision already waiting for them).
    transfer_owner(project, person, current_user)
    return _saved(project, "owner", _("%(n)s er nå prosjekteier.", n=person.display_name))


@bp.route("/roles/manager", methods=["POST"])
@login_required
def change_manager(project_id: int):
    """Appoint or replace the prosjektleder (the owner or an administrator)."""
    project = load_project(project_id)
    person, refusal = _choose_leader(
        project, "manager", _("Velg hvem som skal være prosjektleder."),
        lambda p: _("%(n)s er allerede prosjektleder.", n=p.display_name))
    if refusal is not None:
        return refusal
    operations.set_manager(project, person)
    return _saved(project, "manager", _("%(n)s er nå prosjektleder.", n=person.display_name))


@bp.route("/roles/manager/remove", methods=["POST"])
@login_required
def remove_manager(project_id: int):
    """Leave the prosjektleder role vacant (the owner or an administrator)."""
    project = editable_project(project_id, "can_change_leadership")
    form = role_form("manager")
    form.validate_on_submit()
    stale = _check_project_version(project, form, "manager")
    if stale:
        return stale
    old = project.manager
    if old is None:
        return _render(project, notice=_("Prosjektet har ingen prosjektleder."))
    operations.remove_manager(project)
    return _saved(project, "manager", _("%(n)s er ikke lenger prosjektleder.", n=old.display_name))


@bp.route("/roles/<role>/members", methods=["POST"])
@login_required
def add_member(project_id: int, role: str):
    """Add a person to one of the roles held in ProjectMember."""
    if role not in MEMBER_ROLES:
        abort(404)
    project = editable_project(project_id, "can_edit_roles")
    info = ROLE_BY_CODE[role]
    form = role_form(role)
    form.validate_on_submit()
    person = resolve_person(form.username, required_message=_("Velg en person."))
    if person is not None and any(m.user_id == person.id and m.role == role for m in project.members):
        form.username.errors.append(_("%(n)s er allerede %(r)s.", n=person.display_name, r=info.noun))
    if form.username.errors:
        return _refused(project, role, form)
    if operations.add_member(project, person, role) is None:  # added by someone else a moment ago
        form.username.errors.append(_("%(n)s er allerede %(r)s.", n=person.display_name, r=info.noun))
        return _refused(load_project(project_id), role, form)
    return _saved(project, role, _("%(n)s er lagt til som %(r)s.", n=person.display_name, r=info.noun))


@bp.route("/roles/members/<int:member_id>/delete", methods=["POST"])
@login_required
def remove_member(project_id: int, member_id: int):
    """Take a person out of a role (asks for confirmation in the page)."""
    project = editable_project(project_id, "can_edit_roles")
    member = next((m for m in project.members if m.id == member_id), None)
    if member is None:
        abort(404)
    EmptyForm().validate_on_submit()
    info = ROLE_BY_CODE[member.role]
    name, role = member.user.display_name, member.role
    operations.remove_member(project, member)
    return _saved(project, role, _("%(n)s er ikke lenger %(r)s.", n=name, r=info.noun))


