"""The roles tab, /projects/<id>/roles: who holds which role in the project.

Prosjekteier and prosjektleder are columns on Project; the other roles are ProjectMember
rows. Only the owner (and an administrator) changes the owner and the manager; the
manager and owner (and administrators) add and remove people in the other roles.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from app import is_htmx
from app.audit import record
from app.audit.describe import DESCRIBERS
from app.extensions import db
from app.models import MEMBER_ROLES, ProjectMember
from app.notifications import handoffs
from app.plan import bp
from app.plan.common import StaleEdit, can_edit_plan, check_version, load_project, render_tab, require_edit
from app.people.owners import OwnerNotEligible, require_eligible_owner
from app.plan.editing import EmptyForm, done, person_field, resolve_person, save
from app.projects.services import transfer_owner
from app.workflow import TransitionRefused, check_owner_not_manager


@dataclass(frozen=True)
class RoleInfo:
    """A project role as the roles tab explains it."""

    code: str
    label: str
    #: what the person signs up for (after DOMAIN.md and the Askøy project plan)
    description: str
    #: how many people the role takes
    how_many: str
    #: the label in "Legg til …" and in the history
    noun: str


#: every role, in the order shown; owner and manager first
ROLES: tuple[RoleInfo, ...] = (
    RoleInfo("owner", _l("Prosjekteier"),
             _l("Oppdragsgiver og øverste beslutningstaker. Godkjenner beslutningspunktene, "
                "budsjettet og endringer utenfor mandatet, og sørger for at prosjektets mål "
                "støtter kommunens behov og strategi."),
             _l("Nøyaktig én"), _l("prosjekteier")),
    RoleInfo("manager", _l("Prosjektleder"),
             _l("Leder prosjektet fra dag til dag: følger opp milepæler, kvalitet, tid og "
                "budsjett, leder prosjektgruppen og rapporterer til prosjekteier. Kan ikke være "
                "samme person som prosjekteier."),
             _l("Høyst én"), _l("prosjektleder")),
    RoleInfo("steering_group", _l("Styringsgruppe"),
             _l("Ledes av prosjekteier. Lederne for enhetene som berøres, og gjerne "
                "tillitsvalgte og verneombud. Sikrer helheten, følger fremdriften, sørger for "
                "ressurser og forankring i linjen, og gir prosjekteier råd ved "
                "beslutningspunktene."),
             _l("Flere, ledet av prosjekteier"), _l("medlem av styringsgruppen")),
    RoleInfo("benefits_owner", _l("Gevinstansvarlig"),
             _l("En leder i linjen, nær der gevinstene skal tas ut. Eier "
                "gevinstrealiseringsplanen og følger opp målingene også etter at prosjektet er "
                "overlevert. Er ingen utnevnt, er prosjekteier ansvarlig."),
             _l("Én eller flere"), _l("gevinstansvarlig")),
    RoleInfo("technical_lead", _l("Teknisk ansvarlig"),
             _l("IKT-siden av prosjektet: tilganger, testmiljø, integrasjoner, kontakt med "
                "leverandøren og trygg drift."),
             _l("Etter behov"), _l("teknisk ansvarlig")),
    RoleInfo("domain_lead", _l("Fagansvarlig"),
             _l("Fagperson og superbruker i løsningen som innføres. Har ansvar for opplæringen "
                "og for at løsningen passer arbeidet i tjenesten."),
             _l("Etter behov"), _l("fagansvarlig")),
    RoleInfo("communications", _l("Kommunikasjonsansvarlig"),
             _l("Eier kommunikasjonsplanen og sørger for at rett informasjon når rett person "
                "til rett tid."),
             _l("Etter behov"), _l("kommunikasjonsansvarlig")),
    RoleInfo("change_agent", _l("Endringsagenter"),
             _l("Kolleger i tjenesten som hjelper andre å ta i bruk nye arbeidsmåter, og som "
                "gir prosjektet tilbakemelding fra hverdagen."),
             _l("Én eller flere"), _l("endringsagent")),
    RoleInfo("member", _l("Prosjektdeltakere"),
             _l("Utfører aktiviteter og oppgaver etter planen, deltar i prosjektmøtene, bidrar "
                "med innspill og rapporterer status til prosjektleder."),
             _l("Én eller flere"), _l("prosjektdeltaker")),
    RoleInfo("reference", _l("Referansegruppe"),
             _l("Brukere, pårørende, tillitsvalgte og verneombud som prosjektet rådfører seg "
                "med. Gir råd, men tar ikke beslutninger."),
             _l("Etter behov"), _l("medlem av referansegruppen")),
)
ROLE_BY_CODE = {r.code: r for r in ROLES}
assert set(MEMBER_ROLES) == set(ROLE_BY_CODE) - {"owner", "manager"}


# --- permissions: the same functions guard the views and decide the buttons ------------
def can_edit_roles(project, user) -> bool:
    """Add and remove people in the roles other than owner and manager."""
    return can_edit_plan(project, user)


def can_change_leadership(project, user) -> bool:
    """Change the prosjekteier or the prosjektleder: the owner and administrators only."""
    return can_edit_plan(project, user) and (user.is_admin or user.id == project.owner_id)


# --- forms ------------------------------------------------------------------------------
class PersonForm(EmptyForm):
    """One person for one role, chosen with the people picker. The form's prefix is the
    role, so that every role's picker on the page has its own ids."""

    username = person_field(_l("Person"))
    #: the project's version when the page was loaded (owner and manager only)
    version = HiddenField()


def _form(role: str, formdata=None) -> PersonForm:
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = PersonForm(prefix=f"{role}_", **kwargs)
    form.username.owners_only = role == "owner"  # the picker offers only eligible owners
    return form


# --- rendering --------------------------------------------------------------------------
def _context(project, *, forms: dict | None = None, open_role: str | None = None,
             notice: str = "", conflict: dict | None = None) -> dict:
    forms = dict(forms or {})
    for info in ROLES:
        if info.code not in forms:
            forms[info.code] = _form(info.code, formdata=None)
            forms[info.code].version.data = project.version
    members = {code: [m for m in project.members if m.role == code] for code in MEMBER_ROLES}
    return dict(
        project=project, active_tab="roles", roles=ROLES, members=members, forms=forms,
        open_role=open_role, notice=notice, conflict=conflict or {},
        can_edit_roles=can_edit_roles(project, current_user),
        can_change_leadership=can_change_leadership(project, current_user),
        remove_form=EmptyForm(),
    )


def _render(project, status: int = 200, **kwargs):
    return render_tab("plan/roles.html", "roles_body", status, **_context(project, **kwargs))


def _refused(project, role: str, form, status: int = 422, conflict: dict | None = None):
    """Show the role's form again with its errors and what was typed."""
    return _render(project, status, forms={role: form}, open_role=role, conflict=conflict)


def _saved(project, role: str, message: str):
    if is_htmx():
        return _render(project, notice=message)
    return done(message, "plan.roles", anchor=f"role-{role}", project_id=project.id)


# --- views ------------------------------------------------------------------------------
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
    require_edit(can_change_leadership(project, current_user))
    form = _form(role)
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
    old = project.manager
    project.manager = person
    save(project)
    record("roles.manager_set", obj=project, project_id=project.id,
           from_name=old.display_name if old else None, to_name=person.display_name,
           to=person.username)
    handoffs.role_assigned(project, person, "manager")
    return _saved(project, "manager", _("%(n)s er nå prosjektleder.", n=person.display_name))


@bp.route("/roles/manager/remove", methods=["POST"])
@login_required
def remove_manager(project_id: int):
    """Leave the prosjektleder role vacant (the owner or an administrator)."""
    project = load_project(project_id)
    require_edit(can_change_leadership(project, current_user))
    form = _form("manager")
    form.validate_on_submit()
    stale = _check_project_version(project, form, "manager")
    if stale:
        return stale
    old = project.manager
    if old is None:
        return _render(project, notice=_("Prosjektet har ingen prosjektleder."))
    project.manager = None
    save(project)
    record("roles.manager_removed", obj=project, project_id=project.id, name=old.display_name,
           username=old.username)
    return _saved(project, "manager", _("%(n)s er ikke lenger prosjektleder.", n=old.display_name))


@bp.route("/roles/<role>/members", methods=["POST"])
@login_required
def add_member(project_id: int, role: str):
    """Add a person to one of the roles held in ProjectMember."""
    if role not in MEMBER_ROLES:
        abort(404)
    project = load_project(project_id)
    require_edit(can_edit_roles(project, current_user))
    info = ROLE_BY_CODE[role]
    form = _form(role)
    form.validate_on_submit()
    person = resolve_person(form.username, required_message=_("Velg en person."))
    if person is not None and any(m.user_id == person.id and m.role == role for m in project.members):
        form.username.errors.append(_("%(n)s er allerede %(r)s.", n=person.display_name, r=info.noun))
    if form.username.errors:
        return _refused(project, role, form)
    member = ProjectMember(user=person, role=role)
    project.members.append(member)
    try:
        db.session.flush()
    except IntegrityError:  # the same person added by someone else a moment ago
        db.session.rollback()
        form.username.errors.append(_("%(n)s er allerede %(r)s.", n=person.display_name, r=info.noun))
        return _refused(load_project(project_id), role, form)
    record("roles.member_added", obj=member, project_id=project.id, role=role,
           name=person.display_name, username=person.username)
    handoffs.role_assigned(project, person, role)
    return _saved(project, role, _("%(n)s er lagt til som %(r)s.", n=person.display_name, r=info.noun))


@bp.route("/roles/members/<int:member_id>/delete", methods=["POST"])
@login_required
def remove_member(project_id: int, member_id: int):
    """Take a person out of a role (asks for confirmation in the page)."""
    project = load_project(project_id)
    require_edit(can_edit_roles(project, current_user))
    member = next((m for m in project.members if m.id == member_id), None)
    if member is None:
        abort(404)
    EmptyForm().validate_on_submit()
    info = ROLE_BY_CODE[member.role]
    name = member.user.display_name
    record("roles.member_removed", obj=member, project_id=project.id, role=member.role,
           name=name, username=member.user.username)
    project.members.remove(member)
    db.session.flush()
    return _saved(project, member.role, _("%(n)s er ikke lenger %(r)s.", n=name, r=info.noun))


# --- the history tab ----------------------------------------------------------------------
def describe_roles_event(event) -> str | None:
    """Norwegian sentences for the roles tab's audit events."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    info = ROLE_BY_CODE.get(d.get("role", ""))
    noun = str(info.noun) if info else d.get("role", "")
    if event.action == "roles.member_added":
        return _("%(who)s la til %(n)s som %(r)s.", who=who, n=d.get("name", ""), r=noun)
    if event.action == "roles.member_removed":
        return _("%(who)s fjernet %(n)s som %(r)s.", who=who, n=d.get("name", ""), r=noun)
    if event.action == "roles.manager_set":
        if d.get("from_name"):
            return _("%(who)s byttet prosjektleder fra %(a)s til %(b)s.", who=who,
                     a=d["from_name"], b=d.get("to_name", ""))
        return _("%(who)s utnevnte %(b)s til prosjektleder.", who=who, b=d.get("to_name", ""))
    if event.action == "roles.manager_removed":
        return _("%(who)s fjernet %(n)s som prosjektleder.", who=who, n=d.get("name", ""))
    return None


DESCRIBERS.append(describe_roles_event)
