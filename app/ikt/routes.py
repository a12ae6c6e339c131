"""/ikt: the IKT department's work queue.

The page (templates/ikt/queue.html) has two blocks that htmx swaps on their own: the
task table (`tasks_table`, the answer to GET /ikt from htmx when a filter, a sort header
or the pager is used) and the projects that need IKT (`needs_table`, GET /ikt/needs).
Each task row is a component (templates/ikt/_task.html, a <tbody> that owns its id):
"Ta oppgaven" and the status form answer with that row. Without JavaScript every link
and form works as a normal page load and POST-redirect-GET.
"""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from app.extensions import db
from app.ikt import bp
from app.ikt.forms import TakeTaskForm, TaskStatusForm
from app.queues import WorkQueue, wants_block
from app.paging import is_number, page_number, paginate
from app.ikt.queries import NEEDS_PER_PAGE, PER_PAGE, TaskFilter, needs_ikt_query, queue_query, visible_in_queue
from app.models import Project
from app.models.task import TASK_KINDS, TASK_STATUSES, TechnicalTask
from app.plan.common import StaleEdit, check_version
from app.plan.editing import today
from app.plan.tasks.operations import work_task
from app.plan.tasks.queries import KIND_LABELS, STATUS_LABELS, ikt_users, tasks_query
from app.portfolio.visibility import openable_project_ids

PAGE = "ikt/queue.html"
ROW = "ikt/_task.html"


#: the IKT role and administrators work the queue
QUEUE = WorkQueue("ikt", "ikt.queue")


def get_queue_task_or_404(task_id: int) -> TechnicalTask:
    """A task of a project the person may see (drafts never); otherwise 404."""
    task = db.session.execute(
        tasks_query().where(visible_in_queue(current_user), TechnicalTask.id == task_id, Project.stage != "draft")
    ).unique().scalar_one_or_none()
    if task is None:
        abort(404)
    return task


def _row_context(f: TaskFilter, states: dict | None = None, tasks=()) -> dict:
    # A restricted project's task shows in the queue without the project: its title and
    # pages stay hidden from IKT people who are not on it (they would get 404).
    return dict(
        f=f, states=states or {}, today=today(), status_labels=STATUS_LABELS, kind_labels=KIND_LABELS,
        openable_ids=openable_project_ids(current_user, {t.project_id: t.project for t in tasks}.values()),
        status_choices=TASK_STATUSES,
        back=url_for("ikt.queue", **f.args(page=f.page)),
    )


def _page_context(f: TaskFilter, states: dict | None = None, *, tasks: bool = True, needs: bool = True) -> dict:
    """Everything the page shows; an htmx request for one block computes only that one."""
    people = ikt_users() if tasks else []
    chosen = f.assignee if is_number(f.assignee) else ""
    page = paginate(queue_query(current_user, f), f.page, PER_PAGE) if tasks else None
    return dict(
        page=page,
        needs=paginate(needs_ikt_query(current_user), page_number(request.args.get("needs_page")),
                       NEEDS_PER_PAGE) if needs else None,
        kinds=TASK_KINDS, people=people,
        unknown_assignee=bool(chosen) and all(str(p.id) != chosen for p in people),
        **_row_context(f, states, page.items if page else ()),
    )


@bp.route("")
@login_required
def queue():
    """Every technical task across the projects, filtered and sorted from the URL."""
    QUEUE.require()
    f = TaskFilter.from_args(request.args)
    if wants_block():
        # The history entry is the tidy URL of the view, not the form's raw fields.
        return render_block(PAGE, "tasks_table", **_page_context(f, needs=False)), 200, {
            "HX-Push-Url": url_for("ikt.queue", **f.args())}
    return render_template(PAGE, **_page_context(f))


@bp.route("/needs")
@login_required
def needs_list():
    """The projects that need IKT and have no teknisk ansvarlig: one page of them, for
    htmx's pager (a plain request goes to the whole queue at that page)."""
    QUEUE.require()
    if not wants_block():
        return redirect(url_for("ikt.queue", **request.args))
    f = TaskFilter.from_args(request.args)
    return render_block(PAGE, "needs_table", **_page_context(f, tasks=False))


def _row(task: TechnicalTask, f: TaskFilter, status: int = 200, **state):
    """The task's row (htmx), or the whole queue with the row in that state."""
    if wants_block():
        return render_template(ROW, task=task, **_row_context(f, {task.id: state}, [task])), status
    # Without JavaScript the row may not even be on the page any more (the filter hides
    # it now), so the news is also shown at the top.
    return render_template(PAGE, notice=state.get("message", ""), notice_tone=state.get("tone", "success"),
                           **_page_context(f, {task.id: state})), status


def _workable_task(task_id: int) -> TechnicalTask:
    """A task in the queue (404 otherwise) that the signed-in person may work (403)."""
    QUEUE.require()
    task = get_queue_task_or_404(task_id)
    if not task.can_work(current_user):
        abort(403)
    return task


def _filter_of(back: str) -> TaskFilter:
    """The filter the page was shown with, read back from the form's `back` URL."""
    return TaskFilter.from_args(QUEUE.filter_args(back))


def _done(message: str, back: str, task: TechnicalTask):
    return QUEUE.done(message, back, f"ikt-task-{task.id}")


@bp.route("/tasks/<int:task_id>/take", methods=["POST"])
@login_required
def take_task(task_id: int):
    """"Ta oppgaven": make me the assignee of a task nobody has, unless someone was faster."""
    task = _workable_task(task_id)
    form = TakeTaskForm.valid_or_400()
    f = _filter_of(form.back.data)
    try:
        check_version(task, form.version.data)
        if task.assignee_id is not None and task.assignee_id != current_user.id:
            raise StaleEdit(task)
        if task.assignee_id != current_user.id:
            work_task(task, task.status, current_user, current_user)
    except StaleEdit as exc:
        current = exc.current or task
        if current.assignee_id == current_user.id:
            message = _("Oppgaven er allerede din.")
            return (_row(current, f, message=message) if wants_block() else _done(message, form.back.data, current))
        if current.assignee is not None:
            message = _("%(who)s tok oppgaven rett før deg. Den er ikke din.", who=current.assignee.display_name)
        else:
            message = _("Noen endret oppgaven mens du så på den. Se status og ansvarlig nå, og prøv igjen.")
        return _row(current, f, 409, message=message, tone="warning")
    message = _("Du har tatt oppgaven «%(t)s».", t=task.title)
    if wants_block():
        return _row(task, f, message=message)
    return _done(message, form.back.data, task)


@bp.route("/tasks/<int:task_id>/status", methods=["POST"])
@login_required
def set_task_status(task_id: int):
    """Change a task's status in place (the assignee stays)."""
    task = _workable_task(task_id)
    form = TaskStatusForm()
    f = _filter_of(form.back.data)
    if not form.validate_on_submit():
        return _row(task, f, 422, status_form=form,
                    message=" ".join(form.status.errors) or _("Velg en status."), tone="danger")
    try:
        check_version(task, form.version.data)
        changed = work_task(task, form.status.data, task.assignee, current_user)
    except StaleEdit as exc:
        current = exc.current or task
        message = _("Noen endret oppgaven samtidig. Status nå: %(s)s. Ansvarlig nå: %(a)s. Velg på nytt om du "
                    "fortsatt vil endre den.", s=str(STATUS_LABELS.get(current.status, current.status)),
                    a=current.assignee.display_name if current.assignee else _("ingen"))
        return _row(current, f, 409, message=message, tone="warning")
    message = (_("Status for «%(t)s» er nå «%(s)s».", t=task.title, s=str(STATUS_LABELS[task.status]))
               if changed else _("Ingen endring: oppgaven hadde allerede denne statusen."))
    if wants_block():
        return _row(task, f, message=message)
    return _done(message, form.back.data, task)
