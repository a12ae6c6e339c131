"""The roles tab's state changes, each with its audit event (the request commits once).

Handing over the prosjekteier role is `app.projects.services.transfer_owner`, the same
operation as on the overview page."""
from __future__ import annotations

from app.audit import record
from app.concurrency import saved_first
from app.extensions import db
from app.models import ProjectMember
from app.notifications import handoffs
from app.plan.editing import save


def set_manager(project, person) -> None:
    """Appoint or replace the prosjektleder, and tell the new one."""
    old = project.manager
    project.manager = person
    save(project)
    record("roles.manager_set", obj=project, project_id=project.id,
           from_name=old.display_name if old else None, to_name=person.display_name,
           to=person.username)
    handoffs.role_assigned(project, person, "manager")


def remove_manager(project) -> None:
    """Leave the prosjektleder role vacant."""
    old = project.manager
    project.manager = None
    save(project)
    record("roles.manager_removed", obj=project, project_id=project.id, name=old.display_name,
           username=old.username)


def add_member(project, person, role: str) -> ProjectMember | None:
    """Add `person` to `role`, and tell them; None (the transaction rolled back) when
    someone else added the same person a moment ago."""
    member = ProjectMember(user=person, role=role)
    project.members.append(member)
    if not saved_first():
        return None
    record("roles.member_added", obj=member, project_id=project.id, role=role,
           name=person.display_name, username=person.username)
    handoffs.role_assigned(project, person, role)
    return member


def remove_member(project, member: ProjectMember) -> None:
    """Take a person out of a role."""
    record("roles.member_removed", obj=member, project_id=project.id, role=member.role,
           name=member.user.display_name, username=member.user.username)
    project.members.remove(member)
    db.session.flush()
