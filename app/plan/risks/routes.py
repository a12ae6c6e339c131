"""The risks tab's routes, /projects/<id>/risks: risks and opportunities, the 5×5 matrix
and the ITPOSMO assessment.

Every route loads (the project, then the risk with `get_child_or_404`), checks
`Project.can_edit_risks`, calls one operation (operations.py) and renders (rendering.py).
Each risk is a table row component (templates/plan/risks/_row.html, or _form.html while
edited) whose root owns its id; htmx swaps that row and updates the matrix out of band.
Without JavaScript every form posts and redirects back to the tab.
"""
from __future__ import annotations

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import is_htmx
from app.models.risk import Risk
from app.plan import bp
from app.plan.common import StaleEdit, get_child_or_404, load_project, require_edit
from app.plan.editing import done, resolve_person
from app.plan.risks import operations, rendering
from app.plan.risks.forms import edit_risk_form, itposmo_conflicts, itposmo_form, risk_conflicts, risk_form


def _editable(project_id: int):
    """The project, when the signed-in person may edit its risks (403 otherwise)."""
    project = load_project(project_id)
    require_edit(project.can_edit_risks(current_user))
    return project


def _responsible(form):
    """The person chosen as responsible (None when the field is empty or unknown)."""
    return resolve_person(form.responsible_username) if form.responsible_username.data else None


@bp.route("/risks")
@login_required
def risks(project_id: int):
    """The risk matrix, the register sorted by score, and the ITPOSMO assessment.
    ?p=4&c=5 lists only the open risks in that cell of the matrix."""
    return rendering.page(load_project(project_id))


@bp.route("/risks", methods=["POST"])
@login_required
def create_risk(project_id: int):
    """Add a risk or an opportunity."""
    project = _editable(project_id)
    form = risk_form("new_", bound=True)
    valid = form.validate()
    person = _responsible(form)
    if not valid or form.responsible_username.errors:
        if is_htmx():
            return rendering.form_html(project, form), 422
        return rendering.page(project, 422, new_form=form)
    risk = operations.create_risk(project, form, person)
    message = _("Risikoen er lagt til.") if risk.kind == "risk" else _("Muligheten er lagt til.")
    if not is_htmx():
        return done(message, "plan.risks", anchor=f"risk-{risk.id}", project_id=project.id)
    return rendering.added_html(project, risk, message)


@bp.route("/risks/<int:risk_id>")
@login_required
def show_risk(project_id: int, risk_id: int):
    """One row of the register (htmx: "Avbryt" in the edit form); a full page goes to the tab."""
    project = load_project(project_id)
    risk = get_child_or_404(Risk, project, risk_id)
    if not is_htmx():
        return redirect(url_for("plan.risks", project_id=project.id) + f"#risk-{risk.id}")
    return rendering.row_html(project, risk)


@bp.route("/risks/<int:risk_id>/edit")
@login_required
def edit_risk(project_id: int, risk_id: int):
    """The risk's edit form in place of its row."""
    project = _editable(project_id)
    risk = get_child_or_404(Risk, project, risk_id)
    form = edit_risk_form(risk)
    if is_htmx():
        return rendering.form_html(project, form, risk)
    return rendering.page(project, edits={risk.id: form})


@bp.route("/risks/<int:risk_id>", methods=["POST"])
@login_required
def update_risk(project_id: int, risk_id: int):
    """Save a changed risk; a save based on an older version is refused (409)."""
    project = _editable(project_id)
    risk = get_child_or_404(Risk, project, risk_id)
    form = edit_risk_form(risk, bound=True)
    valid = form.validate()
    person = _responsible(form)
    try:
        changes = operations.update_risk(project, risk, form, person,
                                         valid=valid and not form.responsible_username.errors)
    except StaleEdit as exc:
        conflict = {"message": exc.message, "fields": risk_conflicts(form, exc.current)}
        form.version.data = exc.current.version
        return _refuse(load_project(project_id), exc.current, form, 409, conflict)
    if changes is None:
        return _refuse(project, risk, form, 422)
    message = _("Endringene er lagret.") if changes else _("Ingen endringer å lagre.")
    if not is_htmx():
        return done(message, "plan.risks", anchor=f"risk-{risk.id}", project_id=project.id)
    return rendering.row_html(project, risk, notice=message, with_matrix=bool(changes))


def _refuse(project, risk, form, status: int, conflict: dict | None = None):
    if is_htmx():
        return rendering.form_html(project, form, risk, conflict=conflict), status
    return rendering.page(project, status, edits={risk.id: form}, conflicts={risk.id: conflict} if conflict else None)


@bp.route("/risks/<int:risk_id>/delete", methods=["POST"])
@login_required
def delete_risk(project_id: int, risk_id: int):
    """Delete a risk (asked for confirmation in the page)."""
    project = _editable(project_id)
    risk = get_child_or_404(Risk, project, risk_id)
    values = operations.delete_risk(project, risk)
    if not is_htmx():
        return done(_("«%(d)s» er slettet.", d=values["description"]), "plan.risks", project_id=project.id)
    return rendering.matrix_html(project)


# --- ITPOSMO ------------------------------------------------------------------------------------------
@bp.route("/risks/itposmo")
@login_required
def show_itposmo(project_id: int):
    """The ITPOSMO card (htmx: "Avbryt"); a full page goes to the tab."""
    project = load_project(project_id)
    if not is_htmx():
        return redirect(url_for("plan.risks", project_id=project.id) + "#itposmo")
    return rendering.itposmo_html(project)


@bp.route("/risks/itposmo/edit")
@login_required
def edit_itposmo(project_id: int):
    """The ITPOSMO form in place of the card."""
    project = _editable(project_id)
    if is_htmx():
        return rendering.itposmo_html(project, editing=True)
    return rendering.page(project, itposmo=rendering.itposmo_context(project, editing=True))


@bp.route("/risks/itposmo", methods=["POST"])
@login_required
def save_itposmo(project_id: int):
    """Save the seven ITPOSMO scores and comments (the first save creates the assessment)."""
    project = _editable(project_id)
    assessment = operations.itposmo_of(project)
    form = itposmo_form(bound=True)
    valid = form.validate()

    def refuse(status, conflict=None):
        if is_htmx():
            return rendering.itposmo_html(project, form=form, conflict=conflict), status
        return rendering.page(project, status, itposmo=rendering.itposmo_context(project, form=form,
                                                                                   conflict=conflict))

    try:
        operations.check_itposmo_version(assessment, form.version.data)
        if not valid:
            return refuse(422)
        operations.save_itposmo(project, assessment, form)
    except StaleEdit as exc:  # changed, or created, by someone else a moment ago
        current = exc.current
        form.version.data = current.version if current else 0
        return refuse(409, {"message": exc.message, "fields": itposmo_conflicts(form, current)})
    message = _("ITPOSMO-vurderingen er lagret.")
    if not is_htmx():
        return done(message, "plan.risks", anchor="itposmo", project_id=project.id)
    return rendering.itposmo_html(project, notice=message)
