"""The benefits tab, /projects/<id>/benefits: the benefits realisation plan.

Each benefit is a component (templates/plan/benefits_card.html, or benefits_form.html
while edited) whose root owns its id; htmx swaps just that component, plus the plan's
status card out of band when the plan's version changes. Without JavaScript every form
posts and redirects back to the tab.
"""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app import is_htmx
from app.audit import record
from app.extensions import db
from app.models import User
from app.models.benefit import Benefit, BenefitMeasurement, BenefitsAgreementAck, BenefitsReview
from app.notifications import handoffs
from app.plan import bp
from app.plan.benefits import services as svc
from app.plan.benefits.chart import build_chart, missing_for_chart
from app.plan.benefits.forms import BenefitForm, benefit_form, measurement_form
from app.concurrency import editing
from app.plan.common import StaleEdit, check_version, load_project, render_tab, require_edit
from app.plan.editing import done, resolve_person, save, shorten

PAGE = "plan/benefits.html"
CARD = "plan/benefits_card.html"
FORM = "plan/benefits_form.html"
STATUS = "plan/benefits_status.html"

# --- loading ---------------------------------------------------------------------------------
def _benefits(project) -> list[Benefit]:
    return list(db.session.execute(
        db.select(Benefit).where(Benefit.project_id == project.id)
        .options(selectinload(Benefit.measurements).joinedload(BenefitMeasurement.recorded_by),
                 selectinload(Benefit.owner))
        .order_by(Benefit.id)).scalars())


def _benefit_or_404(project, benefit_id: int) -> Benefit:
    benefit = db.session.get(Benefit, benefit_id)
    if benefit is None or benefit.project_id != project.id:
        abort(404)
    return benefit


# --- rendering ---------------------------------------------------------------------------------
def _helpers() -> dict:
    """Formatting functions the templates use (Norwegian numbers and months)."""
    return dict(num=svc.number, amount=svc.amount, approx=svc.approx, month=svc.month,
                build_chart=build_chart, missing_for_chart=missing_for_chart, schedule_label=svc.schedule_label)


def _status_context(project, *, notice: str = "", error: str | None = None) -> dict:
    """The plan's version, its review (BP4) and the benefits agreement (BP5)."""
    version = svc.plan_version(project)
    review = svc.latest_review(project)
    parties = svc.agreement_status(project, version)
    benefits_owner_ids = {u.id for u in project.members_with(svc.EXTRA_ROLE)}
    has_benefits = version > 0 or db.session.execute(
        db.select(Benefit.id).where(Benefit.project_id == project.id).limit(1)).first() is not None
    return dict(
        plan_version=version, review=review, has_benefits=has_benefits,
        reviewed=review is not None and version > 0 and review.plan_version == version,
        parties=parties, benefits_owner_ids=benefits_owner_ids,
        acknowledged=version > 0 and bool(parties) and all(p["current"] for p in parties),
        can_review=svc.can_review_plan(project, current_user),
        can_acknowledge=svc.can_acknowledge_agreement(project, current_user),
        my_ack_current=any(p["person"].id == current_user.id and p["current"] for p in parties),
        notice=notice, error=error,
    )


def _card_context(project, benefit, *, mform=None, notice: str = "") -> dict:
    """What one benefit's card needs."""
    return dict(b=benefit, notice=notice,
                mform=mform or measurement_form(benefit.id),
                mform_open=mform is not None,
                can_edit=svc.can_edit_benefits(project, current_user),
                can_measure=svc.can_record_measurement(project, current_user, benefit))


def _form_context(project, form, benefit=None, *, conflict=None) -> dict:
    """What the benefit form needs: the form, the benefit (None: a new one), a conflict."""
    username = (form.owner_username.data or "").strip()
    chosen = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none() \
        if username else None
    return dict(form=form, b=benefit, conflict=conflict,
                chosen_owner=chosen.display_name if chosen else "")


def _new_form(project) -> BenefitForm:
    form = benefit_form("new_")
    default = svc.default_benefit_owner(project)
    form.owner_username.data = default.username if default else ""
    form.kind.data = "quality"
    return form


def _edit_form(benefit, formdata=False) -> BenefitForm:
    form = benefit_form(f"b{benefit.id}_", formdata=request.form if formdata else None,
                        obj=None if formdata else benefit)
    if not formdata:
        form.owner_username.data = benefit.owner.username if benefit.owner else ""
        form.version.data = benefit.version
    return form


def _page(project, status: int = 200, *, new_form=None, edits: dict | None = None,
          mforms: dict | None = None, conflicts: dict | None = None, status_error: str | None = None):
    """The whole tab (a plain request, or a refused form without JavaScript)."""
    benefits = _benefits(project)
    edits = edits or {}
    by_id = {b.id: b for b in benefits}
    ctx = dict(
        project=project, active_tab="benefits", benefits=benefits,
        new_ef=_form_context(project, new_form or _new_form(project)),
        edits={bid: _form_context(project, f, by_id.get(bid), conflict=(conflicts or {}).get(bid))
               for bid, f in edits.items()},
        cards={b.id: _card_context(project, b, mform=(mforms or {}).get(b.id)) for b in benefits},
        can_edit=svc.can_edit_benefits(project, current_user),
        st=_status_context(project, error=status_error), oob=False, **_helpers(),
    )
    return render_tab(PAGE, None, status, **ctx)


def _render_status(project, *, oob: bool = False, **kwargs) -> str:
    return render_template(STATUS, project=project, st=_status_context(project, **kwargs), oob=oob)


def _render_card(project, benefit, **kwargs) -> str:
    return render_template(CARD, project=project, card=_card_context(project, benefit, **kwargs), **_helpers())


def _render_form(project, form, benefit=None, **kwargs) -> str:
    return render_template(FORM, project=project, ef=_form_context(project, form, benefit, **kwargs),
                           **_helpers())


# --- the tab --------------------------------------------------------------------------------------
@bp.route("/benefits")
@login_required
def benefits(project_id: int):
    """The benefits realisation plan: each benefit with its chart and measurements."""
    project = load_project(project_id)
    return _page(project)


@bp.route("/benefits", methods=["POST"])
@login_required
def create_benefit(project_id: int):
    """Add a benefit to the plan (bumps the plan's version)."""
    project = load_project(project_id)
    require_edit(svc.can_edit_benefits(project, current_user))
    form = benefit_form("new_", formdata=request.form)
    valid = form.validate()
    owner = _chosen_owner(project, form)
    if not valid or form.owner_username.errors:
        if is_htmx():
            return _render_form(project, form), 422
        return _page(project, 422, new_form=form)
    benefit = Benefit(project_id=project.id)
    _apply(benefit, form, owner)
    db.session.add(benefit)
    db.session.flush()
    version = svc.bump_plan_version(project)
    record("benefit.created", obj=benefit, project_id=project.id, plan_version=version,
           **_audit_values(benefit))
    handoffs.benefit_assigned(benefit, project)
    if not is_htmx():
        return done(_("Gevinsten er lagt til."), "plan.benefits", anchor=f"benefit-{benefit.id}",
                    project_id=project.id)
    card = _render_card(project, benefit, notice=_("Gevinsten er lagt til."))
    return (_render_form(project, _new_form(project))
            + f'<div hx-swap-oob="beforeend:#benefit-list">{card}</div>'
            + _render_status(project, oob=True))


@bp.route("/benefits/<int:benefit_id>")
@login_required
def show_benefit(project_id: int, benefit_id: int):
    """One benefit's card (htmx: "Avbryt" in the edit form); a full page goes to the tab."""
    project = load_project(project_id)
    benefit = _benefit_or_404(project, benefit_id)
    if not is_htmx():
        return redirect(url_for("plan.benefits", project_id=project.id) + f"#benefit-{benefit.id}")
    return _render_card(project, benefit)


@bp.route("/benefits/<int:benefit_id>/edit")
@login_required
def edit_benefit(project_id: int, benefit_id: int):
    """The benefit's edit form in place of its card."""
    project = load_project(project_id)
    require_edit(svc.can_edit_benefits(project, current_user))
    benefit = _benefit_or_404(project, benefit_id)
    form = _edit_form(benefit)
    if is_htmx():
        return _render_form(project, form, benefit)
    return _page(project, edits={benefit.id: form})


@bp.route("/benefits/<int:benefit_id>", methods=["POST"])
@login_required
def update_benefit(project_id: int, benefit_id: int):
    """Save a changed benefit (bumps the plan's version). A save based on an older
    version is refused with 409, showing what is stored now and keeping what was typed."""
    project = load_project(project_id)
    require_edit(svc.can_edit_benefits(project, current_user))
    benefit = _benefit_or_404(project, benefit_id)
    form = _edit_form(benefit, formdata=True)
    valid = form.validate()
    owner = _chosen_owner(project, form)
    try:
        with editing(benefit, form.version.data):
            if not valid or form.owner_username.errors:
                return _refuse(project, benefit, form, 422)
            before = _audit_values(benefit)
            _apply(benefit, form, owner)
            after = _audit_values(benefit)
            changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    except StaleEdit as exc:
        conflict = {"message": exc.message, "fields": _conflicting(form, exc.current)}
        form.version.data = exc.current.version
        return _refuse(load_project(project_id), exc.current, form, 409, conflict)
    if not changes:
        message = _("Ingen endringer å lagre.")
    else:
        version = svc.bump_plan_version(project)
        record("benefit.updated", obj=benefit, project_id=project.id, plan_version=version,
               description=after["description"], changes=changes)
        if "owner" in changes:
            handoffs.benefit_assigned(benefit, project)
        message = _("Endringene er lagret.")
    if not is_htmx():
        return done(message, "plan.benefits", anchor=f"benefit-{benefit.id}", project_id=project.id)
    status_card = _render_status(project, oob=True) if changes else ""
    return _render_card(project, benefit, notice=message) + status_card


def _refuse(project, benefit, form, status: int, conflict: dict | None = None):
    if is_htmx():
        return _render_form(project, form, benefit, conflict=conflict), status
    return _page(project, status, edits={benefit.id: form},
                 conflicts={benefit.id: conflict} if conflict else None)


@bp.route("/benefits/<int:benefit_id>/delete", methods=["POST"])
@login_required
def delete_benefit(project_id: int, benefit_id: int):
    """Delete a benefit and its measurements (asked for confirmation in the page)."""
    project = load_project(project_id)
    require_edit(svc.can_edit_benefits(project, current_user))
    benefit = _benefit_or_404(project, benefit_id)
    values = _audit_values(benefit)
    n_measurements = len(benefit.measurements)
    db.session.delete(benefit)
    db.session.flush()
    version = svc.bump_plan_version(project)
    record("benefit.deleted", obj=benefit, project_id=project.id, plan_version=version,
           measurements=n_measurements, **values)
    if not is_htmx():
        return done(_("Gevinsten «%(d)s» er slettet.", d=shorten(values["description"])), "plan.benefits",
                    project_id=project.id)
    return _render_status(project, oob=True)


# --- measurements ----------------------------------------------------------------------------------
@bp.route("/benefits/<int:benefit_id>/measurements", methods=["POST"])
@login_required
def record_measurement(project_id: int, benefit_id: int):
    """Record a measured value. One far behind the expected line needs a comment."""
    project = load_project(project_id)
    benefit = _benefit_or_404(project, benefit_id)
    require_edit(svc.can_record_measurement(project, current_user, benefit))
    form = measurement_form(benefit.id, bound=True)
    valid = form.validate()
    if valid and not (form.comment.data or "").strip() and benefit.needs_explanation(
            form.measured_on.data, form.value.data):
        expected = benefit.expected_value(form.measured_on.data)
        form.comment.errors.append(_(
            "Forklar avviket: på denne datoen var det ventet om lag %(e)s, men det ble målt %(v)s.",
            e=svc.amount(svc.approx(expected), benefit.unit), v=svc.amount(form.value.data, benefit.unit)))
        valid = False
    if not valid:
        if is_htmx():
            return _render_card(project, benefit, mform=form), 422
        return _page(project, 422, mforms={benefit.id: form})
    m = BenefitMeasurement(benefit=benefit, measured_on=form.measured_on.data, value=form.value.data,
                           comment=(form.comment.data or "").strip(),
                           recorded_by=current_user._get_current_object())
    db.session.add(m)
    db.session.flush()
    record("benefit.measured", obj=m, project_id=project.id, benefit_id=benefit.id,
           description=shorten(benefit.description), measured_on=m.measured_on.isoformat(),
           value=svc.amount(m.value, benefit.unit), comment=m.comment)
    message = _("Målingen er registrert.")
    if not is_htmx():
        return done(message, "plan.benefits", anchor=f"benefit-{benefit.id}", project_id=project.id)
    db.session.refresh(benefit)
    return _render_card(project, benefit, notice=message)


@bp.route("/benefits/<int:benefit_id>/measurements/<int:measurement_id>/delete", methods=["POST"])
@login_required
def delete_measurement(project_id: int, benefit_id: int, measurement_id: int):
    """Delete a wrongly recorded measurement (asked for confirmation in the page)."""
    project = load_project(project_id)
    benefit = _benefit_or_404(project, benefit_id)
    require_edit(svc.can_record_measurement(project, current_user, benefit))
    m = db.session.get(BenefitMeasurement, measurement_id)
    if m is None or m.benefit_id != benefit.id:
        abort(404)
    record("benefit.measurement_deleted", obj=m, project_id=project.id, benefit_id=benefit.id,
           description=shorten(benefit.description), measured_on=m.measured_on.isoformat(),
           value=svc.amount(m.value, benefit.unit))
    db.session.delete(m)
    db.session.flush()
    message = _("Målingen er slettet.")
    if not is_htmx():
        return done(message, "plan.benefits", anchor=f"benefit-{benefit.id}", project_id=project.id)
    db.session.refresh(benefit)
    return _render_card(project, benefit, notice=message)


# --- review (BP4) and agreement (BP5) -------------------------------------------------------------
def _status_response(project, message: str, status: int = 200, error: str | None = None):
    if not is_htmx():
        if error:
            return _page(project, status, status_error=error)
        return done(message, "plan.benefits", anchor="benefits-plan-status", project_id=project.id)
    return _render_status(project, notice=message, error=error), status


@bp.route("/benefits/review", methods=["POST"])
@login_required
def review_benefits_plan(project_id: int):
    """"Marker gevinstplanen som gjennomgått" (BP4): records who, when and which version."""
    project = load_project(project_id)
    require_edit(svc.can_review_plan(project, current_user))
    version = svc.plan_version(project)
    if version == 0:
        return _status_response(project, "", 422, _("Planen har ingen gevinster ennå. Legg til gevinstene "
                                                     "før planen markeres som gjennomgått."))
    if svc.is_plan_reviewed(project, version):
        return _status_response(project, _("Denne versjonen av planen er allerede gjennomgått."))
    db.session.add(BenefitsReview(project_id=project.id, plan_version=version,
                                  reviewed_by=current_user._get_current_object()))
    db.session.flush()
    record("benefits.reviewed", project_id=project.id, plan_version=version)
    return _status_response(project, _("Gevinstrealiseringsplanen (versjon %(v)s) er markert som gjennomgått.",
                                       v=version))


@bp.route("/benefits/agreement", methods=["POST"])
@login_required
def acknowledge_benefits_agreement(project_id: int):
    """"Kvitter ut gevinstavtalen" (BP5): the signed-in party acknowledges this version."""
    project = load_project(project_id)
    require_edit(svc.can_acknowledge_agreement(project, current_user))
    version = svc.plan_version(project)
    if version == 0:
        return _status_response(project, "", 422, _("Planen har ingen gevinster å kvittere for."))
    exists = db.session.execute(db.select(BenefitsAgreementAck).where(
        BenefitsAgreementAck.project_id == project.id, BenefitsAgreementAck.user_id == current_user.id,
        BenefitsAgreementAck.plan_version == version)).scalar_one_or_none()
    if exists is not None:
        return _status_response(project, _("Du har allerede kvittert for denne versjonen."))
    db.session.add(BenefitsAgreementAck(project_id=project.id, user_id=current_user.id, plan_version=version))
    db.session.flush()
    record("benefits.agreement_acknowledged", project_id=project.id, plan_version=version)
    return _status_response(project, _("Du har kvittert ut gevinstavtalen (versjon %(v)s).", v=version))


# --- helpers ---------------------------------------------------------------------------------------
def _chosen_owner(project, form: BenefitForm):
    """The gevinstansvarlig picked in the form; nobody picked: the project's default."""
    if form.owner_username.data:
        return resolve_person(form.owner_username)
    return svc.default_benefit_owner(project)


def _apply(benefit: Benefit, form: BenefitForm, owner) -> None:
    benefit.description = form.description.data.strip()
    benefit.kind = form.kind.data
    benefit.indicator = (form.indicator.data or "").strip()
    unit = (form.unit.data or "").strip()
    benefit.unit = unit or ("kr" if form.kind.data == "economic" else "")
    benefit.baseline = form.baseline.data
    benefit.baseline_measured_on = form.baseline_measured_on.data
    benefit.target = form.target.data
    benefit.due_on = form.due_on.data
    benefit.measures = (form.measures.data or "").strip()
    benefit.measure_every_months = form.measure_every_months.data
    benefit.measure_for_years = form.measure_for_years.data if form.measure_every_months.data else None
    if owner is not None:
        benefit.owner = owner


def _audit_values(benefit: Benefit) -> dict:
    """The benefit as the history shows it: display strings per field."""
    return dict(
        description=shorten(benefit.description), kind=benefit.kind, indicator=benefit.indicator,
        unit=benefit.unit, baseline=svc.number(benefit.baseline),
        baseline_measured_on=benefit.baseline_measured_on.isoformat() if benefit.baseline_measured_on else "",
        target=svc.number(benefit.target),
        due_on=benefit.due_on.isoformat() if benefit.due_on else "",
        owner=benefit.owner.display_name if benefit.owner else "", measures=shorten(benefit.measures),
        schedule=svc.schedule_label(benefit),
    )


def _conflicting(form: BenefitForm, benefit: Benefit) -> list[tuple[str, str]]:
    """(label, what is stored now) for each field where the stored value differs from
    what the person typed: the "what changed" of a refused save."""
    stored = {
        "description": benefit.description, "kind": _(svc.kind_label(benefit.kind)),
        "indicator": benefit.indicator, "unit": benefit.unit, "baseline": svc.number(benefit.baseline),
        "baseline_measured_on": _dmy(benefit.baseline_measured_on),
        "target": svc.number(benefit.target),
        "due_on": _dmy(benefit.due_on),
        "owner_username": benefit.owner.display_name if benefit.owner else "", "measures": benefit.measures,
    }
    current = {
        "description": benefit.description, "kind": benefit.kind, "indicator": benefit.indicator,
        "unit": benefit.unit, "baseline": benefit.baseline, "baseline_measured_on": benefit.baseline_measured_on,
        "target": benefit.target, "due_on": benefit.due_on,
        "owner_username": benefit.owner.username if benefit.owner else "", "measures": benefit.measures,
    }
    out = []
    for name, now in current.items():
        typed = getattr(form, name).data
        if isinstance(typed, str):
            typed, now = typed.strip(), (now or "").strip() if isinstance(now, str) else now
        if (typed or None) != (now or None):
            out.append((str(getattr(form, name).label.text), stored[name] or _("(tomt)")))
    return out


def _dmy(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""
