"""The stakeholders tab's routes, /projects/<id>/stakeholders: the stakeholder analysis
(with an interest × influence grid) and the communication plan.

Every route loads (the project, then the row with `get_child_or_404`), checks
`Project.can_edit_stakeholders` (the kommunikasjonsansvarlig edits this tab too), calls one
operation (operations.py) and renders (rendering.py). Stakeholders and activities are
table row components whose root owns its id; htmx swaps the row, and the grid out of band
when a stakeholder changes. Without JavaScript every form posts and redirects back.
"""
from __future__ import annotations

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import is_htmx
from app.models.stakeholder import CommunicationActivity, Stakeholder
from app.plan import bp
from app.plan.common import StaleEdit, get_child_or_404, load_project, require_edit
from app.plan.editing import done, resolve_person
from app.plan.stakeholders import operations, rendering
from app.plan.stakeholders.forms import (activity_conflicts, activity_form, edit_activity_form,
                                         edit_stakeholder_form, stakeholder_conflicts, stakeholder_form)


def _editable(project_id: int):
    """The project, when the signed-in person may edit its stakeholders (403 otherwise)."""
    project = load_project(project_id)
    require_edit(project.can_edit_stakeholders(current_user))
    return project


def _responsible(form):
    """The person chosen as responsible (None when the field is empty or unknown)."""
    return resolve_person(form.responsible_username) if form.responsible_username.data else None


def _back(message: str, project, anchor: str = ""):
    """After a plain (non-htmx) POST: back to the tab."""
    return done(message, "plan.stakeholders", anchor=anchor, project_id=project.id)


@bp.route("/stakeholders")
@login_required
def stakeholders(project_id: int):
    """The stakeholder analysis and the communication plan."""
    return rendering.page(load_project(project_id))


# --- stakeholders ---------------------------------------------------------------------------------------
@bp.route("/stakeholders", methods=["POST"])
@login_required
def create_stakeholder(project_id: int):
    """Add a stakeholder."""
    project = _editable(project_id)
    form = stakeholder_form("news_", bound=True)
    if not form.validate():
        if is_htmx():
            return rendering.stakeholder_form_html(project, form), 422
        return rendering.page(project, 422, new_s=form)
    s = operations.create_stakeholder(project, form)
    message = _("Interessenten er lagt til.")
    if not is_htmx():
        return _back(message, project, f"stakeholder-{s.id}")
    return rendering.stakeholder_added_html(project, s, message)


@bp.route("/stakeholders/<int:stakeholder_id>")
@login_required
def show_stakeholder(project_id: int, stakeholder_id: int):
    """One stakeholder's row (htmx: "Avbryt"); a full page goes to the tab."""
    project = load_project(project_id)
    s = get_child_or_404(Stakeholder, project, stakeholder_id)
    if not is_htmx():
        return redirect(url_for("plan.stakeholders", project_id=project.id) + f"#stakeholder-{s.id}")
    return rendering.stakeholder_row_html(project, s)


@bp.route("/stakeholders/<int:stakeholder_id>/edit")
@login_required
def edit_stakeholder(project_id: int, stakeholder_id: int):
    """The stakeholder's edit form in place of its row."""
    project = _editable(project_id)
    s = get_child_or_404(Stakeholder, project, stakeholder_id)
    form = edit_stakeholder_form(s)
    if is_htmx():
        return rendering.stakeholder_form_html(project, form, s)
    return rendering.page(project, s_edits={s.id: (form, None)})


@bp.route("/stakeholders/<int:stakeholder_id>", methods=["POST"])
@login_required
def update_stakeholder(project_id: int, stakeholder_id: int):
    """Save a changed stakeholder; a save based on an older version is refused (409)."""
    project = _editable(project_id)
    s = get_child_or_404(Stakeholder, project, stakeholder_id)
    form = edit_stakeholder_form(s, bound=True)
    valid = form.validate()

    def refuse(status, conflict=None):
        if is_htmx():
            return rendering.stakeholder_form_html(project, form, s, conflict), status
        return rendering.page(project, status, s_edits={s.id: (form, conflict)})

    try:
        changes = operations.update_stakeholder(project, s, form, valid=valid)
    except StaleEdit as exc:
        s = exc.current
        form.version.data = s.version
        return refuse(409, {"message": exc.message, "fields": stakeholder_conflicts(form, s)})
    if changes is None:
        return refuse(422)
    message = _("Endringene er lagret.") if changes else _("Ingen endringer å lagre.")
    if not is_htmx():
        return _back(message, project, f"stakeholder-{s.id}")
    return rendering.stakeholder_row_html(project, s, notice=message, with_grid=bool(changes))


@bp.route("/stakeholders/<int:stakeholder_id>/delete", methods=["POST"])
@login_required
def delete_stakeholder(project_id: int, stakeholder_id: int):
    """Delete a stakeholder (asked for confirmation in the page). Activities addressed to
    them keep the name as typed text."""
    project = _editable(project_id)
    values = operations.delete_stakeholder(project, get_child_or_404(Stakeholder, project, stakeholder_id))
    if not is_htmx():
        return _back(_("Interessenten «%(n)s» er slettet.", n=values["name"]), project)
    return rendering.grid_html(project)


# --- the communication plan ------------------------------------------------------------------------------
@bp.route("/stakeholders/activities", methods=["POST"])
@login_required
def create_activity(project_id: int):
    """Add an activity to the communication plan."""
    project = _editable(project_id)
    form = activity_form("newa_", bound=True)
    valid = form.validate()
    person = _responsible(form)
    if not valid or form.responsible_username.errors:
        if is_htmx():
            return rendering.activity_form_html(project, form), 422
        return rendering.page(project, 422, new_a=form)
    a = operations.create_activity(project, form, person)
    message = _("Aktiviteten er lagt til i kommunikasjonsplanen.")
    if not is_htmx():
        return _back(message, project, f"activity-{a.id}")
    return rendering.activity_added_html(project, a, message)


@bp.route("/stakeholders/activities/<int:activity_id>")
@login_required
def show_activity(project_id: int, activity_id: int):
    """One activity's row (htmx: "Avbryt"); a full page goes to the tab."""
    project = load_project(project_id)
    a = get_child_or_404(CommunicationActivity, project, activity_id)
    if not is_htmx():
        return redirect(url_for("plan.stakeholders", project_id=project.id) + f"#activity-{a.id}")
    return rendering.activity_row_html(project, a)


@bp.route("/stakeholders/activities/<int:activity_id>/edit")
@login_required
def edit_activity(project_id: int, activity_id: int):
    """The activity's edit form in place of its row."""
    project = _editable(project_id)
    a = get_child_or_404(CommunicationActivity, project, activity_id)
    form = edit_activity_form(a)
    if is_htmx():
        return rendering.activity_form_html(project, form, a)
    return rendering.page(project, a_edits={a.id: (form, None)})


@bp.route("/stakeholders/activities/<int:activity_id>", methods=["POST"])
@login_required
def update_activity(project_id: int, activity_id: int):
    """Save a changed activity; a save based on an older version is refused (409)."""
    project = _editable(project_id)
    a = get_child_or_404(CommunicationActivity, project, activity_id)
    form = edit_activity_form(a, bound=True)
    valid = form.validate()
    person = _responsible(form)

    def refuse(status, conflict=None):
        if is_htmx():
            return rendering.activity_form_html(project, form, a, conflict), status
        return rendering.page(project, status, a_edits={a.id: (form, conflict)})

    try:
        changes = operations.update_activity(project, a, form, person,
                                             valid=valid and not form.responsible_username.errors)
    except StaleEdit as exc:
        a = exc.current
        form.version.data = a.version
        return refuse(409, {"message": exc.message, "fields": activity_conflicts(form, a)})
    if changes is None:
        return refuse(422)
    message = _("Endringene er lagret.") if changes else _("Ingen endringer å lagre.")
    if not is_htmx():
        return _back(message, project, f"activity-{a.id}")
    return rendering.activity_row_html(project, a, notice=message)


@bp.route("/stakeholders/activities/<int:activity_id>/delete", methods=["POST"])
@login_required
def delete_activity(project_id: int, activity_id: int):
    """Delete an activity (asked for confirmation in the page)."""
    project = _editable(project_id)
    values = operations.delete_activity(project, get_child_or_404(CommunicationActivity, project, activity_id))
    if not is_htmx():
        return _back(_("Aktiviteten «%(w)s» er slettet.", w=values["what"]), project)
    return ""
