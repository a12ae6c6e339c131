"""The risks tab's routes, /projects/<id>/risks: risks and opportunities, the 5×5 matrix
and the ITPOSMO assessment.

Every route loads (the project, then the risk with `get_child_or_404`), checks
`Project.can_edit_risks`, calls one operation (operations.py) and renders (rendering.py).
Each risk is a table row component (templates/plan/risks/_row.html, or _form.html while
edited) whose root owns its id; htmx swaps that row and updates the matrix out of band.
Without JavaScript every form posts and redirects back to the tab. Adding, showing, editing,
saving and deleting a risk are app.plan.child_views' routes (`RiskViews`).
"""
from __future__ import annotations

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import is_htmx
from app.models.risk import Risk
from app.plan import bp
from app.plan.child_views import ChildViews
from app.plan.common import StaleEdit, editable_project, load_project
from app.plan.editing import done
from app.plan.risks import forms, operations, rendering
from app.plan.risks.forms import itposmo_conflicts, itposmo_form


@bp.route("/risks")
@login_required
def risks(project_id: int):
    """The risk matrix, the register sorted by score, and the ITPOSMO assessment.
    ?p=4&c=5 lists only the open risks in that cell of the matrix."""
    return rendering.page(load_project(project_id))


class RiskViews(ChildViews):
    """A risk or an opportunity: a row of the register; a saved change redraws the matrix."""

    tab, rule, noun, model, anchor, can = "plan.risks", "/risks", "risk", Risk, "risk-{}", "can_edit_risks"
    forms, operations, components, picker = forms, operations, rendering.COMPONENTS, "responsible_username"

    def created_message(self, risk):
        return _("Risikoen er lagt til.") if risk.kind == "risk" else _("Muligheten er lagt til.")

    def deleted_message(self, values):
        return _("«%(d)s» er slettet.", d=values["description"])


RiskViews().register(bp)


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
    project = editable_project(project_id, "can_edit_risks")
    if is_htmx():
        return rendering.itposmo_html(project, editing=True)
    return rendering.page(project, itposmo=rendering.itposmo_context(project, editing=True))


@bp.route("/risks/itposmo", methods=["POST"])
@login_required
def save_itposmo(project_id: int):
    """Save the seven ITPOSMO scores and comments (the first save creates the assessment)."""
    project = editable_project(project_id, "can_edit_risks")
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
