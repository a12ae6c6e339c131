"""Hand-offs: the moments work passes to someone, each told to the people it reaches.

Every function here is what an operation elsewhere calls, in one line, after it has
changed the state and written its audit event (the roles tab, the tasks tab, the
milestones tab, the benefits tab, the gates, the privacy assessment, the directory
sync). Each renders its message per recipient through `app.notifications.messages.tell`,
which also applies the shared rules: never to the person who acted, never about a
project the person cannot open, never twice to one person for one event, never to
someone who has left.
"""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.notifications.links import path_for
from app.notifications.messages import tell


def people_with_role(role: str) -> list[User]:
    """Everyone known to Faseport with an application role (ikt, personvern, portefolje)."""
    candidates = db.session.execute(
        select(User).where(User.roles_text.contains(role)).order_by(User.display_name)).scalars()
    return [u for u in candidates if u.has_role(role)]


def _lead(project) -> User | None:
    """Who runs the project day to day: the prosjektleder, else the prosjekteier."""
    return project.manager or project.owner


def role_assigned(project, person: User, role: str, actor=None) -> None:
    """Someone was appointed to a project role (manager, gevinstansvarlig, styringsgruppe
    or any role on the Roles tab). The owner role has its own message (owner_transferred)."""
    from app.plan.roles import ROLE_BY_CODE

    info = ROLE_BY_CODE.get(role)
    tell("role_assigned", [person], project=project, actor=actor, role=role,
         # lazy texts: rendered in each recipient's language, not the actor's
         role_label=info.label if info else role, role_noun=info.noun if info else role,
         role_description=info.description if info else "",
         url=path_for("plan.roles", project_id=project.id, anchor=f"role-{role}"))


def _tell_about_task(kind: str, task, people, actor, queue_args: dict) -> None:
    """Tell `people` about an IKT task. Those who cannot open the project (IKT people not
    on a restricted one) still see the task in the IKT queue: they are told without the
    project, and sent to the task there."""
    project = task.project
    people = [p for p in people if p is not None]
    openers = [p for p in people if project.can_view(p)]
    queue_only = [p for p in people if not project.can_view(p) and project.can_see_ikt_tasks_of(p)]
    tell(kind, openers, project=project, actor=actor, task=task,
         url=path_for("plan.tasks", project_id=project.id, anchor=f"task-{task.id}"))
    tell(kind, queue_only, project=None, actor=actor, task=task, restricted=True,
         url=path_for("ikt.queue", anchor=f"ikt-task-{task.id}", **queue_args))


def task_created(task, actor=None) -> None:
    """A new IKT task: the IKT department (everyone with the ikt role) is told."""
    _tell_about_task("task_created", task, people_with_role("ikt"), actor, {"assignee": "none"})


def task_assigned(task, actor=None) -> None:
    """An IKT task was given to someone."""
    _tell_about_task("task_assigned", task, [task.assignee], actor, {"assignee": "me"})


def milestone_assigned(milestone, project, actor=None) -> None:
    """Someone was made responsible for a milestone."""
    tell("milestone_assigned", [milestone.responsible], project=project, actor=actor,
         milestone=milestone,
         url=path_for("plan.milestones", project_id=project.id, anchor=f"milestone-{milestone.id}"))


def benefit_assigned(benefit, project, actor=None) -> None:
    """Someone was made gevinstansvarlig for one benefit (its measurements are theirs)."""
    tell("benefit_assigned", [benefit.owner], project=project, actor=actor, benefit=benefit,
         url=path_for("plan.benefits", project_id=project.id, anchor=f"benefit-{benefit.id}"))


def dpia_needed(project, actor=None, *, required: bool = False) -> None:
    """A project needs a DPIA: the personvernombud is told when a project that may
    process personal data starts (BP1 approved); the project's leader is told when the
    personvernombud has found a DPIA required."""
    if required:
        recipients = [_lead(project)]
        url = path_for("plan.tasks", project_id=project.id, anchor="privacy")
    else:
        recipients = people_with_role("personvern")
        url = path_for("privacy.queue", q=str(project.id))
    tell("dpia_needed", recipients, project=project, actor=actor, required=required, url=url)


def agreement_waiting(project, actor=None, *, changed: bool = False) -> None:
    """The gevinstavtale waits for the parties' acknowledgement: when the project enters
    handover (BP4 approved), and again for everyone after a change to the plan."""
    from app.plan.benefits.queries import agreement_status

    waiting = [row["person"] for row in agreement_status(project) if not row["current"]]
    tell("agreement_waiting", waiting, project=project, actor=actor, changed=changed,
         url=path_for("plan.benefits", project_id=project.id, anchor="benefits-plan-status"))


def after_gate_decision(project, gate: str, decision: str, actor=None, *, manager: User | None = None) -> None:
    """What a gate decision hands on: at BP1 the new prosjektleder and the DPIA question,
    at BP4 the benefits agreement. Called before the decision's own notification, so the
    person who gets a role hears about the role (one event, one notification)."""
    if decision != "approve":
        return
    if gate == "BP1":
        if manager is not None:
            role_assigned(project, manager, "manager", actor)
        if project.personal_data in ("yes", "unknown"):
            dpia_needed(project, actor)
    elif gate == "BP4":
        agreement_waiting(project, actor)


def leader_left(project, person: User, role: str) -> None:
    """The prosjekteier or prosjektleder of `project` has left the kommune: portfolio
    management (everyone with the portefolje role) is told, so that someone new is named.

    Called by the directory sync (`flask directory sync`) for each project whose owner
    (`role="owner"`) or manager (`role="manager"`) it has just marked as gone.
    """
    tell("leader_left", people_with_role("portefolje"), project=project, person=person,
         role=role, url=path_for("plan.roles", project_id=project.id, anchor=f"role-{role}"))


def benefits_plan_changed(project, previous_version: int, actor=None) -> None:
    """The benefits plan changed while the gevinstavtale was being acknowledged (handover):
    the parties who had acknowledged the previous version must do it again."""
    if project.stage != "handover" or previous_version == 0:
        return
    from app.plan.benefits.queries import latest_acks

    if any(ack.plan_version == previous_version for ack in latest_acks(project).values()):
        agreement_waiting(project, actor, changed=True)


def people_left(people) -> int:
    """For the directory sync: tell portfolio management about every running project
    whose prosjekteier or prosjektleder is among `people` (just marked as gone). Returns
    how many projects were concerned. One call from `flask directory sync` after it has marked
    the leavers inactive."""
    from app.models import Project

    ids = {p.id: p for p in people}
    if not ids:
        return 0
    projects = db.session.execute(
        select(Project).where((Project.owner_id.in_(ids)) | (Project.manager_id.in_(ids)),
                              Project.stage.not_in(("draft", "completed", "rejected", "withdrawn")))
        .order_by(Project.id)).scalars().all()
    for project in projects:
        for role, person_id in (("owner", project.owner_id), ("manager", project.manager_id)):
            if person_id in ids:
                leader_left(project, ids[person_id], role)
    return len(projects)
