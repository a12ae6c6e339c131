"""Technical tasks and the privacy assessment: permissions, operations, the tasks query,
the gate fact and the history sentences.

`tasks_query` returns a SELECT of tasks with the related rows eagerly loaded, to be
filtered further and run by the caller: the tab and the IKT queue (`app/ikt/queries.py`)
both build on it. The privacy queue's query is in `app/privacy/queries.py`.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.audit import record
from app.extensions import db
from app.models import Project, User
from app.models.task import (DPIA_CHOICES, TASK_KINDS, TASK_STATUS_CODES, TASK_STATUSES,
                             PrivacyAssessment, TechnicalTask)
from app.notifications import handoffs
from app.plan.common import CLOSED_STAGES, StaleEdit, can_edit_plan
from app.plan.editing import save

KIND_LABELS = {code: _l(label) for code, label in TASK_KINDS}
STATUS_LABELS = {code: _l(label) for code, label in TASK_STATUSES}
DPIA_LABELS = {code: _l(label) for code, label in DPIA_CHOICES}
#: the member role that may create and edit tasks besides owner, manager and admins
TASK_EDITOR_ROLE = "technical_lead"

#: the largest id a database integer column holds; larger ids in a URL are simply missing
MAX_ID = 2**31 - 1


# --- permissions (the same functions guard the views and decide the buttons) ------------
def _running(project: Project) -> bool:
    return project.stage not in CLOSED_STAGES and project.stage != "draft"


def can_edit_tasks(project: Project, user) -> bool:
    """Create tasks, edit their text and delete them: the owner, the prosjektleder, the
    project's technical leads (teknisk ansvarlig) and administrators."""
    return can_edit_plan(project, user, TASK_EDITOR_ROLE)


def can_work_tasks(project: Project, user) -> bool:
    """Change a task's status and assignee: people in the IKT role (and administrators)."""
    return _running(project) and (user.has_role("ikt") or user.is_admin)


def can_assess_privacy(project: Project, user) -> bool:
    """Set the DPIA status and comment: the personvern role (and administrators) only."""
    return _running(project) and (user.has_role("personvern") or user.is_admin)


# --- loading ------------------------------------------------------------------------------
def tasks_for(project: Project) -> list[TechnicalTask]:
    """The project's tasks: not done first, then by due date."""
    tasks = list(db.session.execute(tasks_query(project_ids=[project.id])).scalars())
    return sorted(tasks, key=lambda t: (t.status == "done", t.due_date is None, t.due_date or date.max, t.id))


def get_task_or_404(project: Project, task_id: int) -> TechnicalTask:
    """The project's task `task_id` (another project's id → 404)."""
    if not 0 < task_id <= MAX_ID:
        abort(404)  # beyond a database integer: cannot exist (and must not reach the driver)
    task = db.session.execute(
        tasks_query(project_ids=[project.id]).where(TechnicalTask.id == task_id)
    ).scalar_one_or_none()
    if task is None:
        abort(404)
    return task


def assessment_for(project: Project) -> PrivacyAssessment | None:
    return db.session.execute(
        select(PrivacyAssessment).where(PrivacyAssessment.project_id == project.id)
        .options(joinedload(PrivacyAssessment.updated_by))
    ).scalar_one_or_none()


def ikt_users() -> list[User]:
    """Everyone known to Faseport with the IKT role (those who have signed in or been
    picked once), by name: the people a task can be assigned to."""
    candidates = db.session.execute(
        select(User).where(User.roles_text.contains("ikt")).order_by(User.display_name)
    ).scalars()
    return [u for u in candidates if u.has_role("ikt")]


def progress(tasks: Iterable[TechnicalTask]) -> dict:
    """Counts per status, the total, and the share done in whole per cent."""
    counts = {code: 0 for code in TASK_STATUS_CODES}
    for t in tasks:
        counts[t.status] = counts.get(t.status, 0) + 1
    total = sum(counts.values())
    return {"counts": counts, "total": total,
            "done_percent": round(100 * counts["done"] / total) if total else 0}


# --- task operations ----------------------------------------------------------------------
def _apply(task: TechnicalTask, form) -> None:
    task.title = form.title.data.strip()
    task.kind = form.kind.data
    task.description = (form.description.data or "").strip()
    task.due_date = form.due_date.data


def create_task(project: Project, form, user: User) -> TechnicalTask:
    task = TechnicalTask(project_id=project.id, created_by=user, status="open")
    _apply(task, form)
    db.session.add(task)
    db.session.flush()
    record("technical_task.created", obj=task, project_id=project.id, title=task.title, kind=task.kind)
    handoffs.task_created(task, user)
    return task


def update_task(task: TechnicalTask, form) -> None:
    """Save the text part (the caller checked the version)."""
    _apply(task, form)
    save(task)
    record("technical_task.updated", obj=task, project_id=task.project_id, title=task.title)


def work_task(task: TechnicalTask, status: str, assignee: User | None, user: User) -> bool:
    """IKT sets the status and the assignee. Returns False when nothing changed. The new
    assignee is told, unless they made the change themselves."""
    old_status, old_assignee = task.status, task.assignee
    if status == old_status and (assignee.id if assignee else None) == task.assignee_id:
        return False
    task.status = status
    task.assignee = assignee
    save(task)
    record("technical_task.worked", obj=task, project_id=task.project_id, title=task.title,
           status=status, status_from=old_status,
           assignee=assignee.display_name if assignee else None,
           assignee_from=old_assignee.display_name if old_assignee else None)
    if assignee is not None and (old_assignee is None or old_assignee.id != assignee.id):
        handoffs.task_assigned(task, user)
    return True


def delete_task(task: TechnicalTask) -> None:
    record("technical_task.deleted", obj=task, project_id=task.project_id, title=task.title)
    db.session.delete(task)
    db.session.flush()


# --- privacy ------------------------------------------------------------------------------
def assess_privacy(project: Project, status: str, comment: str, user: User,
                   submitted_version: str | None) -> PrivacyAssessment:
    """Create or update the project's assessment. A save based on an older version (or a
    second first assessment made at the same moment) raises StaleEdit."""
    current = assessment_for(project)
    if current is None:
        if (submitted_version or "").strip():
            raise StaleEdit(None)  # it was there when the form was loaded, and is gone
        current = PrivacyAssessment(project_id=project.id, dpia_status=status,
                                    comment=comment.strip(), updated_by=user)
        old_status = None
        try:
            with db.session.begin_nested():
                db.session.add(current)
        except IntegrityError:  # someone saved the first assessment a moment before us
            raise StaleEdit(assessment_for(project)) from None
    else:
        from app.plan.common import check_version

        if not (submitted_version or "").strip():
            raise StaleEdit(current)  # the form was loaded before the first assessment existed
        check_version(current, submitted_version)
        old_status = current.dpia_status
        current.dpia_status = status
        current.comment = comment.strip()
        current.updated_by = user
        save(current)
    record("privacy.assessed", obj=current, project_id=project.id, dpia_status=status,
           dpia_status_from=old_status, comment=current.comment)
    if status == "pakrevd" and old_status != "pakrevd":
        handoffs.dpia_needed(project, user, required=True)
    return current


# --- the gate fact ----------------------------------------------------------------------
def tasks_facts(project: Project) -> dict:
    """`dpia_status`: the code of the project's assessment ("ikke_vurdert" when none)."""
    status = db.session.execute(
        select(PrivacyAssessment.dpia_status).where(PrivacyAssessment.project_id == project.id)
    ).scalar_one_or_none()
    return {"dpia_status": status or "ikke_vurdert"}


# --- the tasks query, for the tab and the IKT queue -----------------------------------------
def tasks_query(*, project_ids: Iterable[int] | None = None, statuses: Iterable[str] | None = None,
                kinds: Iterable[str] | None = None, assignee_id: int | None = None,
                unassigned: bool = False, due_before: date | None = None) -> Select:
    """A SELECT of TechnicalTask with the project (and its owner and manager), the
    assignee and the creator eagerly loaded, ordered by due date (none last) and id.

    Every filter is optional: `project_ids`, `statuses` (e.g. ("open", "in_progress")),
    `kinds` (TASK_KIND_CODES), `assignee_id`, `unassigned=True` for tasks nobody has
    taken and `due_before` for overdue lists (the IKT queue adds its own visibility rule,
    `app.ikt.queries.visible_in_queue`). Run it with
    ``db.session.execute(tasks_query(...)).scalars()``; add ``.limit()`` or more
    ``.where()`` as needed.
    """
    query = (
        select(TechnicalTask).join(Project, Project.id == TechnicalTask.project_id)
        .options(joinedload(TechnicalTask.project).joinedload(Project.owner),
                 joinedload(TechnicalTask.project).joinedload(Project.manager),
                 joinedload(TechnicalTask.assignee), joinedload(TechnicalTask.created_by))
        .order_by(TechnicalTask.due_date.is_(None), TechnicalTask.due_date, TechnicalTask.id)
    )
    if project_ids is not None:
        query = query.where(TechnicalTask.project_id.in_(list(project_ids)))
    if statuses is not None:
        query = query.where(TechnicalTask.status.in_(list(statuses)))
    if kinds is not None:
        query = query.where(TechnicalTask.kind.in_(list(kinds)))
    if assignee_id is not None:
        query = query.where(TechnicalTask.assignee_id == assignee_id)
    if unassigned:
        query = query.where(TechnicalTask.assignee_id.is_(None))
    if due_before is not None:
        query = query.where(TechnicalTask.due_date < due_before)
    return query


# --- the history tab ----------------------------------------------------------------------
def describe_tasks_event(event) -> str | None:
    """Norwegian sentences for the tasks' and the privacy assessment's audit events."""
    action = event.action
    if not (action.startswith("technical_task.") or action == "privacy.assessed"):
        return None
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    title = d.get("title", "")
    if action == "technical_task.created":
        kind = KIND_LABELS.get(d.get("kind"))
        return _("%(who)s la til IKT-oppgaven «%(t)s»%(k)s.", who=who, t=title,
                 k=f" ({str(kind).lower()})" if kind else "")
    if action == "technical_task.updated":
        return _("%(who)s endret IKT-oppgaven «%(t)s».", who=who, t=title)
    if action == "technical_task.deleted":
        return _("%(who)s slettet IKT-oppgaven «%(t)s».", who=who, t=title)
    if action == "technical_task.worked":
        parts = []
        if d.get("status") != d.get("status_from") and d.get("status") in STATUS_LABELS:
            parts.append(_("satte status til «%(s)s»", s=str(STATUS_LABELS[d["status"]])))
        if d.get("assignee") != d.get("assignee_from"):
            parts.append(_("satte %(n)s som ansvarlig", n=d["assignee"]) if d.get("assignee")
                         else _("fjernet ansvarlig"))
        return _("%(who)s %(what)s for IKT-oppgaven «%(t)s».", who=who,
                 what=_(" og ").join(parts) or _("oppdaterte"), t=title)
    if action == "privacy.assessed":
        label = DPIA_LABELS.get(d.get("dpia_status"), d.get("dpia_status", ""))
        text = _("%(who)s satte DPIA-status til «%(s)s».", who=who, s=str(label) if label else "")
        if d.get("comment"):
            text += " " + _("Kommentar: «%(c)s»", c=d["comment"])
        return text
    return None
