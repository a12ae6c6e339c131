"""/personvern: the data protection officer's queue.

The page (templates/privacy/queue.html) swaps its table block (`projects_table`) for
htmx filter and pager requests. Each project is a component
(templates/privacy/_project.html, a <tbody> owning its id): "Vurder" opens the
assessment form inside it, "Lagre vurderingen" saves through the tasks tab's service and
shows the row again. Without JavaScript "Vurder" opens a page of its own
(templates/privacy/assess.html) that posts and returns to the queue.
"""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from app.queues import WorkQueue, wants_block
from app.paging import count, paginate
from app.models import Project
from app.plan.common import StaleEdit
from app.plan.tasks.forms import PrivacyForm, with_ids
from app.plan.tasks.operations import assess_privacy_from
from app.plan.tasks.queries import DPIA_LABELS, assessment_for
from app.portfolio.visibility import openable_project_ids
from app.privacy import bp
from app.privacy.queries import (PER_PAGE, QUEUE_STAGES, PrivacyFilter, is_urgent, queue_query,
                                 urgent_count_query)
from app.extensions import db
from app.projects.access import project_query

PAGE = "privacy/queue.html"
ROW = "privacy/_project.html"
ASSESS = "privacy/assess.html"


#: the personvern role and administrators work the queue
QUEUE = WorkQueue("personvern", "privacy.queue")


def _filter_of(back: str | None) -> PrivacyFilter:
    return PrivacyFilter.from_args(QUEUE.filter_args(back))


def get_queue_project_or_404(project_id: int) -> Project:
    """A project the person may see in the privacy queue, not a draft (404 otherwise): the
    personvernombud also gets restricted projects that process personal data."""
    project = db.session.execute(project_query(project_id)).scalar_one_or_none()
    if project is None or project.is_draft or not project.can_assess_privacy_of(current_user):
        abort(404)
    return project


def _form_for(project, assessment=None, formdata=False) -> PrivacyForm:
    """The assessment form for one project, with ids that are unique on the page."""
    if formdata:
        return with_ids(PrivacyForm(), f"dpia-{project.id}-")
    form = with_ids(PrivacyForm(formdata=None), f"dpia-{project.id}-")
    form.dpia_status.data = assessment.dpia_status if assessment else "ikke_vurdert"
    form.comment.data = assessment.comment if assessment else ""
    form.version.data = assessment.version if assessment else ""
    return form


def _row_context(f: PrivacyFilter, states: dict | None = None, projects=()) -> dict:
    # A restricted project she is not on links to its assessment page, not its tabs (404).
    return dict(f=f, states=states or {}, dpia_labels=DPIA_LABELS, is_urgent=is_urgent,
                openable_ids=openable_project_ids(current_user, projects),
                back=url_for("privacy.queue", **f.args(page=f.page)))


def _page_context(f: PrivacyFilter, states: dict | None = None) -> dict:
    page = paginate(queue_query(current_user, f), f.page, PER_PAGE, scalars=False, unique=True)
    return dict(page=page, urgent_total=count(urgent_count_query(current_user)), stages=QUEUE_STAGES,
                **_row_context(f, states, [row[0] for row in page.items]))


@bp.route("")
@login_required
def queue():
    """Projects with personal data and their DPIA status, the most pressing first."""
    QUEUE.require()
    f = PrivacyFilter.from_args(request.args)
    context = _page_context(f)
    if wants_block():
        # The history entry is the tidy URL of the view, not the form's raw fields.
        return render_block(PAGE, "projects_table", **context), 200, {
            "HX-Push-Url": url_for("privacy.queue", **f.args())}
    return render_template(PAGE, **context)


def _row(project, f: PrivacyFilter, status: int = 200, **state):
    """The project's row component (htmx) with `state`: editing (`form`) or a message."""
    return render_template(ROW, project=project, assessment=assessment_for(project),
                           **_row_context(f, {project.id: state}, [project])), status


@bp.route("/<int:project_id>")
@login_required
def show_row(project_id: int):
    """One project's row ("Avbryt" in htmx); a plain request goes to the queue."""
    QUEUE.require()
    project = get_queue_project_or_404(project_id)
    if not wants_block():
        return redirect(url_for("privacy.queue") + f"#dpia-{project.id}")
    return _row(project, PrivacyFilter.from_args(request.args))


@bp.route("/<int:project_id>/vurdering", methods=["GET", "POST"])
@login_required
def assess(project_id: int):
    """Record the DPIA status and comment (personvern role and administrators)."""
    QUEUE.require()
    project = get_queue_project_or_404(project_id)
    if not project.can_assess_privacy(current_user):
        abort(403)
    back = request.values.get("back")
    f = _filter_of(back)
    if request.method == "GET":
        return _editing(project, f, 200, _form_for(project, assessment_for(project)), back)

    form = _form_for(project, formdata=True)
    if not form.validate_on_submit():
        return _editing(project, f, 422, form, back)
    try:
        assessment = assess_privacy_from(project, form, current_user)
    except StaleEdit as exc:
        current = exc.current
        who = current.updated_by.display_name if current is not None else ""
        now = (_("%(who)s har nettopp lagret «%(s)s»%(c)s.", who=who, s=str(DPIA_LABELS[current.dpia_status]),
                 c=(" – «" + current.comment + "»") if current.comment else "")
               if current is not None else _("Vurderingen er fjernet i mellomtiden."))
        message = _("Noen andre lagret en vurdering mens du skrev. %(now)s Det du skrev står fortsatt i "
                    "skjemaet; lagre på nytt hvis du vil overskrive.", now=now)
        return _editing(project, f, 409, form, back, message=message, tone="warning")
    message = _("Vurderingen av «%(t)s» er lagret: %(s)s.", t=project.title,
                s=str(DPIA_LABELS[assessment.dpia_status]))
    if wants_block():
        return _row(project, f, message=message)
    return QUEUE.done(message, back, f"dpia-{project.id}")


def _editing(project, f: PrivacyFilter, status: int, form: PrivacyForm, back: str | None, **state):
    """The form in the row (htmx), or on a page of its own."""
    if wants_block():
        return _row(project, f, status, form=form, **state)
    return render_template(ASSESS, project=project, assessment=assessment_for(project), form=form,
                           back=QUEUE.back_url(back), dpia_labels=DPIA_LABELS, state=state), status
