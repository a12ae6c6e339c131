"""The tasks tab's state changes: technical tasks (created by the project, worked by IKT)
and the privacy assessment (by the personvernombud), each with its audit event and
hand-offs. The IKT and privacy queues call the same operations."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.audit import add_recorded, delete_recorded, record
from app.extensions import db
from app.models import Project, User
from app.models.task import PrivacyAssessment, TechnicalTask
from app.notifications import handoffs
from app.plan.common import StaleEdit, check_version
from app.plan.editing import save
from app.plan.tasks.queries import assessment_for


def _apply(task: TechnicalTask, form) -> None:
    task.title = form.title.data.strip()
    task.kind = form.kind.data
    task.description = (form.description.data or "").strip()
    task.due_date = form.due_date.data


def create_task(project: Project, form, user: User) -> TechnicalTask:
    """A new open task from the form; IKT is told."""
    task = TechnicalTask(project_id=project.id, created_by=user, status="open")
    _apply(task, form)
    add_recorded(task, "technical_task.created", project_id=project.id, title=task.title, kind=task.kind)
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
    """Delete a task."""
    delete_recorded(task, "technical_task.deleted", project_id=task.project_id, title=task.title)


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


def assess_privacy_from(project: Project, form, user: User) -> PrivacyAssessment:
    """`assess_privacy` with what the privacy form holds (the tasks tab's card and the
    personvern queue). When it raises StaleEdit the form is moved on to the current
    version, so that saving it again overwrites what is stored now."""
    try:
        return assess_privacy(project, form.dpia_status.data, form.comment.data or "", user, form.version.data)
    except StaleEdit as exc:
        form.version.data = exc.current.version if exc.current is not None else ""
        raise
