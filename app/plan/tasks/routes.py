"""The tasks tab: /projects/<id>/tasks — technical tasks for IKT, and privacy (DPIA).

Every route loads (`get_child_or_404`), checks the project's (or the task's)
`can_<verb>(user)`, calls one operation (operations.py) and renders. Each task
(templates/plan/tasks/_item.html) and the privacy card (templates/plan/tasks/_privacy.html) are htmx components that swap themselves; a task's
response also refreshes the progress bar out of band. Creating a task re-renders the
task panel. Without JavaScript every form posts and redirects back to the tab.
"""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import is_htmx
from app.extensions import db
from app.models import User
from app.plan import bp
from app.models.task import TechnicalTask
from app.plan.cards import edit_card
from app.plan.editing import answer
from app.plan.common import (MAX_ID, StaleEdit, check_version, editable_child, editable_project,
                             get_child_or_404, load_project, render_tab, require_edit)
from app.plan.tasks.forms import PrivacyForm, TaskForm, TaskWorkForm, with_ids
from app.plan.tasks.operations import assess_privacy_from, create_task, delete_task, update_task, work_task
from app.plan.tasks.queries import (DPIA_LABELS, KIND_LABELS, STATUS_LABELS, assessment_for, ikt_users, progress,
                                    task_loads, tasks_for)
from app.workflow.i18n import N_

TAB = "plan.tasks"
PAGE = "plan/tasks/tab.html"
ITEM = "plan/tasks/_item.html"
PRIVACY = "plan/tasks/_privacy.html"

#: field → label, for showing what someone else changed meanwhile
FIELD_LABELS = {"title": N_("Oppgave"), "kind": N_("Type"), "description": N_("Beskrivelse"), "due_date": N_("Frist")}


def _new_form(**kwargs) -> TaskForm:
    return with_ids(TaskForm(**kwargs), "new-task-")


def _edit_form(task, **kwargs) -> TaskForm:
    return with_ids(TaskForm(**kwargs), f"t{task.id}-")


def _work_form(task, people: list | None = None, **kwargs) -> TaskWorkForm:
    """IKT's form for one task; `people` are the IKT users (looked up when not given)."""
    form = with_ids(TaskWorkForm(**kwargs), f"w{task.id}-")
    people = list(ikt_users() if people is None else people)
    if task.assignee is not None and all(p.id != task.assignee_id for p in people):
        people.append(task.assignee)  # keep showing someone who has left the IKT role
    form.assignee.choices = [("", _("Ingen ennå"))] + [(str(p.id), p.display_name) for p in people]
    if kwargs.get("formdata", True) is None:
        form.status.data = task.status
        form.assignee.data = str(task.assignee_id) if task.assignee_id else ""
        form.version.data = task.version
    return form


def _context(project, **extra) -> dict:
    tasks = tasks_for(project)
    people = ikt_users() if project.can_work_tasks(current_user) else []  # for IKT's work forms
    ctx = dict(
        project=project, active_tab="tasks", tasks=tasks, progress=progress(tasks),
        kind_labels=KIND_LABELS, status_labels=STATUS_LABELS, dpia_labels=DPIA_LABELS,
        field_labels=FIELD_LABELS, states={}, notice="", show_new=False,
        new_form=_new_form(formdata=None),
        work_form_for=lambda t: _work_form(t, people, formdata=None),
    )
    ctx.update(extra)
    return ctx


def _privacy_context(project, form=None, **extra) -> dict:
    assessment = assessment_for(project)
    if form is None:
        form = with_ids(PrivacyForm(formdata=None), "dpia-")
        form.dpia_status.data = assessment.dpia_status if assessment else "ikke_vurdert"
        form.comment.data = assessment.comment if assessment else ""
        form.version.data = assessment.version if assessment else ""
    return dict(assessment=assessment, privacy_form=form, privacy_message=extra.pop("message", ""),
                privacy_tone=extra.pop("tone", "success"), **extra)


def _page(project, status: int = 200, *, block: str | None = None, privacy: dict | None = None, **extra):
    ctx = _context(project, **extra)
    ctx.update(privacy or _privacy_context(project))
    return render_tab(PAGE, block, status, **ctx)


def _item(project, task, status: int = 200, **state):
    """One task as a component (htmx, with the progress bar out of band), or the tab with
    this task in that state."""
    if is_htmx():
        ctx = _context(project, states={task.id: state}, with_progress=True)
        return render_template(ITEM, task=task, **ctx), status
    return _page(project, status, states={task.id: state})


def _task_or_404(project, task_id: int) -> TechnicalTask:
    """The project's task with its people loaded (another project's id → 404)."""
    return get_child_or_404(TechnicalTask, project, task_id, *task_loads())


# --- the tab ---------------------------------------------------------------------------------
@bp.route("/tasks")
@login_required
def tasks(project_id: int):
    """The project's technical tasks with their progress, and its privacy assessment."""
    project = load_project(project_id)
    return _page(project)


@bp.route("/tasks", methods=["POST"], endpoint="create_task")
@login_required
def create_task_view(project_id: int):
    """Add a task for IKT (owner, prosjektleder, teknisk ansvarlig, admin)."""
    project = editable_project(project_id, "can_edit_tasks")
    form = _new_form()
    if not form.validate_on_submit():
        return _page(project, 422, block="tasks_panel", new_form=form, show_new=True)
    task = create_task(project, form, current_user)
    message = _("Oppgaven «%(t)s» er lagt til.", t=task.title)
    return answer(TAB, project, message, f"task-{task.id}",
                  lambda: _page(project, block="tasks_panel", notice=message))


# --- one task --------------------------------------------------------------------------------
@bp.route("/tasks/<int:task_id>")
@login_required
def show_task(project_id: int, task_id: int):
    """One task: its component for htmx (e.g. "Avbryt"), else the tab at the task."""
    project = load_project(project_id)
    task = _task_or_404(project, task_id)
    return _item(project, task) if is_htmx() else redirect(url_for(TAB, project_id=project.id) + f"#task-{task.id}")


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@login_required
def edit_task(project_id: int, task_id: int):
    """Edit a task's title, type, description and due date (the project's editors)."""
    project, task = editable_child(project_id, _task_or_404, task_id, "can_edit_tasks")
    return edit_card(project, task, _edit_form, update_task, FIELD_LABELS, _item, tab=TAB, anchor=f"task-{task.id}",
                     saved=_("Oppgaven er lagret."))


@bp.route("/tasks/<int:task_id>/work", methods=["POST"])
@login_required
def work_on_task(project_id: int, task_id: int):
    """IKT sets the status and who in IKT does it."""
    project = load_project(project_id)
    task = _task_or_404(project, task_id)
    require_edit(task.can_work(current_user))
    form = _work_form(task)
    valid = form.validate_on_submit()
    assignee = None
    if form.assignee.data:
        raw = form.assignee.data
        assignee = db.session.get(User, int(raw)) if raw.isdigit() and int(raw) <= MAX_ID else None
        if assignee is None or not assignee.has_role("ikt"):
            if not (assignee is not None and assignee.id == task.assignee_id):
                form.assignee.errors = [*form.assignee.errors, _("Velg en person i IKT.")]
                valid = False
    if not valid:
        return _item(project, task, 422, work_form=form)
    try:
        check_version(task, form.version.data)
        changed = work_task(task, form.status.data, assignee, current_user)
    except StaleEdit as exc:
        current = exc.current or task
        form.version.data = current.version
        now = _("Status nå: %(s)s. Ansvarlig nå: %(a)s.", s=str(STATUS_LABELS[current.status]),
                a=current.assignee.display_name if current.assignee else _("ingen"))
        return _item(project, current, 409, work_form=form, message=exc.message + " " + now, tone="warning")
    message = _("Status og ansvarlig er lagret.") if changed else _("Ingen endringer å lagre.")
    return answer(TAB, project, message, f"task-{task.id}", lambda: _item(project, task, message=message))


@bp.route("/tasks/<int:task_id>/delete", methods=["POST"], endpoint="delete_task")
@login_required
def delete_task_view(project_id: int, task_id: int):
    """Delete a task (the page asks first)."""
    project, task = editable_child(project_id, _task_or_404, task_id, "can_edit_tasks")
    message = _("Oppgaven «%(t)s» er slettet.", t=task.title)
    delete_task(task)
    return answer(TAB, project, message, "", lambda: _page(project, block="tasks_panel", notice=message))


# --- privacy ---------------------------------------------------------------------------------
@bp.route("/tasks/privacy", methods=["POST"], endpoint="assess_privacy")
@login_required
def assess_privacy_view(project_id: int):
    """The personvernombud sets the DPIA status and comment (personvern role, admins)."""
    project = editable_project(project_id, "can_assess_privacy")
    form = with_ids(PrivacyForm(), "dpia-")
    if not form.validate_on_submit():
        return _privacy(project, 422, form)
    try:
        assessment = assess_privacy_from(project, form, current_user)
    except StaleEdit as exc:
        current = exc.current
        now = _("Nå står det: «%(s)s»%(c)s.", s=str(DPIA_LABELS.get(current.dpia_status, "")) if current else
                str(DPIA_LABELS["ikke_vurdert"]),
                c=(" – «" + current.comment + "»") if current is not None and current.comment else "")
        return _privacy(project, 409, form, message=exc.message + " " + now, tone="warning")
    message = _("Personvernvurderingen er lagret: %(s)s.", s=str(DPIA_LABELS[assessment.dpia_status]))
    return answer(TAB, project, message, "privacy", lambda: _privacy(project, 200, None, message=message))


def _privacy(project, status: int, form, **extra):
    if is_htmx():
        ctx = dict(project=project, dpia_labels=DPIA_LABELS, **_privacy_context(project, form, **extra))
        return render_template(PRIVACY, **ctx), status
    return _page(project, status, privacy=_privacy_context(project, form, **extra))
