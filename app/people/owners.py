"""Who may own a project, and the administrator's grants of the owner role.

The rule itself is `User.may_own_projects` / `User.can_own_projects` (a leader in the
directory, a member of the owner group, or granted here); the workflow refuses an owner
who does not pass it (`app.workflow.check_owner_eligible`). Every path that sets or
changes a project's owner calls `require_eligible_owner`: the idea form, the roles tab and
the overview's hand-over (`app.projects.services.transfer_owner`), the demo data, and
every gate decision.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.audit import record
from app.extensions import db
from app.models import OwnerGrant, Project, User
from app.workflow import TransitionRefused, check_owner_eligible

#: the longest note on a grant (the column)
MAX_NOTE = 300


class OwnerNotEligible(Exception):
    """The person may not own projects. `message` is Norwegian, for the owner field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def require_eligible_owner(person: User) -> None:
    """Refuse (OwnerNotEligible) to make `person` a project's owner unless they may own
    projects."""
    try:
        check_owner_eligible(person.can_own_projects())
    except TransitionRefused as exc:
        raise OwnerNotEligible(_("%(n)s kan ikke være prosjekteier.", n=person.display_name)
                               + " " + _(exc.message)) from None


# --- the administrator's grants -----------------------------------------------------
def can_manage_owner_grants(user) -> bool:
    """Only administrators grant and revoke the owner role."""
    return bool(user.is_authenticated and user.is_admin)


def grants() -> list[OwnerGrant]:
    """Every grant, by the person's name."""
    return list(db.session.execute(
        select(OwnerGrant).join(User, User.id == OwnerGrant.user_id)
        .order_by(User.display_name, User.username)
    ).scalars())


def owned_project_counts(user_ids: list[int]) -> dict[int, int]:
    """How many running projects (and ideas) each of these people owns."""
    if not user_ids:
        return {}
    return dict(db.session.execute(
        select(Project.owner_id, func.count()).where(
            Project.owner_id.in_(user_ids),
            Project.stage.not_in(("draft", "completed", "rejected", "withdrawn")))
        .group_by(Project.owner_id)).all())


def grant_owner(person: User, note: str, by: User) -> OwnerGrant | None:
    """Let `person` own projects. None when they already had a grant (nothing changes)."""
    if person.owner_grant is not None:
        return None
    grant = OwnerGrant(user_id=person.id, note=(note or "").strip()[:MAX_NOTE], granted_by=by)
    try:
        with db.session.begin_nested():  # another administrator, a moment before
            db.session.add(grant)
    except IntegrityError:
        db.session.expire(person)
        return None
    record("owner_role.granted", obj=person, name=person.display_name, username=person.username,
           note=grant.note)
    return grant


def revoke_owner(grant: OwnerGrant) -> bool:
    """Take a grant back. The person stays owner of their projects, but may not decide
    at a gate (nor be made owner) until they are a leader again or someone else is named.
    False when another administrator revoked it a moment before."""
    person = grant.user
    deleted = db.session.execute(
        delete(OwnerGrant).where(OwnerGrant.id == grant.id)
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(person)
    if deleted != 1:
        return False
    record("owner_role.revoked", obj=person, name=person.display_name, username=person.username,
           note=grant.note)
    return True


def describe_owner_event(event) -> str | None:
    """Norwegian sentences for the grants, in the audit log."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    if event.action == "owner_role.granted":
        return _("%(who)s ga %(n)s rollen som mulig prosjekteier.", who=who, n=d.get("name", ""))
    if event.action == "owner_role.revoked":
        return _("%(who)s tok fra %(n)s rollen som mulig prosjekteier.", who=who, n=d.get("name", ""))
    return None
