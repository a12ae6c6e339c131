"""The benefits tab's routes, /projects/<id>/benefits: the benefits realisation plan.

Every route loads (the project, then the benefit with `get_child_or_404`), checks the
project's `can_<verb>(user)`, calls one operation (operations.py) and renders
(rendering.py). Each benefit is a component (templates/plan/benefits/_card.html, or
_form.html while edited) whose root owns its id; htmx swaps just that component, plus the
plan's status card out of band when the plan's version changes. Without JavaScript every
form posts and redirects back to the tab. Adding, showing, editing, saving and deleting a
benefit are app.plan.child_views' routes (`BenefitViews`).
"""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import is_htmx
from app.models.benefit import Benefit, BenefitMeasurement
from app.plan import bp
from app.plan.benefits import forms, operations, queries, rendering
from app.plan.benefits.display import amount, approx
from app.plan.benefits.forms import BenefitForm, benefit_form, edit_benefit_form, measurement_form
from app.plan.child_views import ChildViews
from app.plan.common import editable_project, get_child_or_404, load_project, require_edit
from app.plan.editing import done, resolve_person, shorten


def _back(message: str, project, anchor: str = ""):
    """After a plain (non-htmx) POST: back to the tab."""
    return done(message, "plan.benefits", anchor=anchor, project_id=project.id)


def _chosen_owner(project, form: BenefitForm):
    """The gevinstansvarlig picked in the form; nobody picked: the project's default."""
    if form.owner_username.data:
        return resolve_person(form.owner_username)
    return queries.default_benefit_owner(project)


@bp.route("/benefits")
@login_required
def benefits(project_id: int):
    """The benefits realisation plan: each benefit with its chart and measurements."""
    return rendering.page(load_project(project_id))


class BenefitViews(ChildViews):
    """A benefit: a card with its chart and measurements. A saved change is a new version of
    the plan, so the plan's status card moves out of band."""

    tab, rule, noun, model, anchor, can = "plan.benefits", "/benefits", "benefit", Benefit, "benefit-{}", \
        "can_edit_benefits"
    forms, operations, components = forms, operations, rendering.COMPONENTS

    def new_form(self):
        return benefit_form("new_", formdata=request.form)

    def edit_form(self, benefit, bound):
        return edit_benefit_form(benefit, formdata=request.form if bound else None)

    def chosen(self, project, form):
        """The gevinstansvarlig picked in the form; nobody picked: the project's default."""
        return (_chosen_owner(project, form),), not form.owner_username.errors

    def created_message(self, benefit):
        return _("Gevinsten er lagt til.")

    def deleted_message(self, values):
        """The benefit went with its measurements."""
        return _("Gevinsten «%(d)s» er slettet.", d=shorten(values["description"]))


BenefitViews().register(bp)


# --- measurements ----------------------------------------------------------------------------------
def _measurable(project_id: int, benefit_id: int):
    """The project and the benefit, when the signed-in person may measure it (403 otherwise)."""
    project = load_project(project_id)
    benefit = get_child_or_404(Benefit, project, benefit_id)
    require_edit(project.can_record_measurement(current_user, benefit))
    return project, benefit


def _measured(project, benefit, message: str):
    if not is_htmx():
        return _back(message, project, f"benefit-{benefit.id}")
    return rendering.card_html(project, benefit, notice=message)


@bp.route("/benefits/<int:benefit_id>/measurements", methods=["POST"])
@login_required
def record_measurement(project_id: int, benefit_id: int):
    """Record a measured value. One far behind the expected line needs a comment."""
    project, benefit = _measurable(project_id, benefit_id)
    form = measurement_form(benefit.id, bound=True)
    valid = form.validate()
    if valid and not (form.comment.data or "").strip() and benefit.needs_explanation(
            form.measured_on.data, form.value.data):
        expected = benefit.expected_value(form.measured_on.data)
        form.comment.errors.append(_(
            "Forklar avviket: på denne datoen var det ventet om lag %(e)s, men det ble målt %(v)s.",
            e=amount(approx(expected), benefit.unit), v=amount(form.value.data, benefit.unit)))
        valid = False
    if not valid:
        if is_htmx():
            return rendering.card_html(project, benefit, mform=form), 422
        return rendering.page(project, 422, mforms={benefit.id: form})
    operations.record_measurement(project, benefit, form)
    return _measured(project, benefit, _("Målingen er registrert."))


@bp.route("/benefits/<int:benefit_id>/measurements/<int:measurement_id>/delete", methods=["POST"])
@login_required
def delete_measurement(project_id: int, benefit_id: int, measurement_id: int):
    """Delete a wrongly recorded measurement (asked for confirmation in the page)."""
    project, benefit = _measurable(project_id, benefit_id)
    m = get_child_or_404(BenefitMeasurement, benefit, measurement_id, parent_key="benefit_id")
    operations.delete_measurement(project, benefit, m)
    return _measured(project, benefit, _("Målingen er slettet."))


# --- review (BP4) and agreement (BP5) -------------------------------------------------------------
def _status_response(project, message: str, status: int = 200, error: str | None = None):
    if not is_htmx():
        if error:
            return rendering.page(project, status, status_error=error)
        return _back(message, project, "benefits-plan-status")
    return rendering.status_html(project, notice=message, error=error), status


def _on_plan_version(project_id: int, can: str, empty: str, act):
    """Act on the plan's current version (`act(project, version)` returns the news); a
    plan without benefits is refused with `empty` (422)."""
    project = editable_project(project_id, can)
    version = queries.plan_version(project)
    if version == 0:
        return _status_response(project, "", 422, empty)
    return _status_response(project, act(project, version))


def _review(project, version: int) -> str:
    if queries.is_plan_reviewed(project, version):
        return _("Denne versjonen av planen er allerede gjennomgått.")
    operations.review_plan(project, version)
    return _("Gevinstrealiseringsplanen (versjon %(v)s) er markert som gjennomgått.", v=version)


def _acknowledge(project, version: int) -> str:
    if not operations.acknowledge_agreement(project, version):
        return _("Du har allerede kvittert for denne versjonen.")
    return _("Du har kvittert ut gevinstavtalen (versjon %(v)s).", v=version)


@bp.route("/benefits/review", methods=["POST"])
@login_required
def review_benefits_plan(project_id: int):
    """"Marker gevinstplanen som gjennomgått" (BP4): records who, when and which version."""
    return _on_plan_version(project_id, "can_review_benefits_plan", _(
        "Planen har ingen gevinster ennå. Legg til gevinstene før planen markeres som gjennomgått."), _review)


@bp.route("/benefits/agreement", methods=["POST"])
@login_required
def acknowledge_benefits_agreement(project_id: int):
    """"Kvitter ut gevinstavtalen" (BP5): the signed-in party acknowledges this version."""
    return _on_plan_version(project_id, "can_acknowledge_agreement",
                            _("Planen har ingen gevinster å kvittere for."), _acknowledge)
