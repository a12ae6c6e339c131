"""The benefits tab's state changes, each with its audit event (the request commits once).
Every change to a benefit gives the plan a new version (`bump_plan_version`)."""
from __future__ import annotations

from flask_login import current_user
from sqlalchemy import update

from app.audit import record
from app.extensions import db
from app.models.benefit import Benefit, BenefitMeasurement, BenefitsAgreementAck, BenefitsPlan, BenefitsReview
from app.notifications import handoffs
from app.plan.benefits.display import amount, number, schedule_label
from app.plan.benefits.forms import BenefitForm
from app.plan.benefits.queries import plan_version
from app.plan.common import apply_edit
from app.plan.editing import shorten


def bump_plan_version(project) -> int:
    """A benefit was added, changed or deleted: the plan gets a new version. The increment
    happens in SQL so that two saves at once both count."""
    before = plan_version(project)
    result = db.session.execute(
        update(BenefitsPlan).where(BenefitsPlan.project_id == project.id)
        .values(plan_version=BenefitsPlan.plan_version + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount == 0:
        db.session.add(BenefitsPlan(project_id=project.id, plan_version=1))
        db.session.flush()
    handoffs.benefits_plan_changed(project, before)
    return plan_version(project)


def audit_values(benefit: Benefit) -> dict:
    """The benefit as the history shows it: display strings per field."""
    return dict(
        description=shorten(benefit.description), kind=benefit.kind, indicator=benefit.indicator,
        unit=benefit.unit, baseline=number(benefit.baseline),
        baseline_measured_on=benefit.baseline_measured_on.isoformat() if benefit.baseline_measured_on else "",
        target=number(benefit.target),
        due_on=benefit.due_on.isoformat() if benefit.due_on else "",
        owner=benefit.owner.display_name if benefit.owner else "", measures=shorten(benefit.measures),
        schedule=schedule_label(benefit),
    )


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


def create_benefit(project, form: BenefitForm, owner) -> Benefit:
    """Add the benefit in `form` and tell its gevinstansvarlig."""
    benefit = Benefit(project_id=project.id)
    _apply(benefit, form, owner)
    db.session.add(benefit)
    db.session.flush()
    version = bump_plan_version(project)
    record("benefit.created", obj=benefit, project_id=project.id, plan_version=version,
           **audit_values(benefit))
    handoffs.benefit_assigned(benefit, project)
    return benefit


def update_benefit(project, benefit: Benefit, form: BenefitForm, owner, *, valid: bool) -> dict | None:
    """Save `form` over `benefit` (see `apply_edit` for what it returns and raises); a
    change tells a new gevinstansvarlig."""
    changes = apply_edit(benefit, form.version.data, lambda obj: _apply(obj, form, owner), audit_values,
                         valid=valid)
    if changes:
        version = bump_plan_version(project)
        record("benefit.updated", obj=benefit, project_id=project.id, plan_version=version,
               description=shorten(benefit.description), changes=changes)
        if "owner" in changes:
            handoffs.benefit_assigned(benefit, project)
    return changes


def delete_benefit(project, benefit: Benefit) -> dict:
    """Delete a benefit and its measurements; returns how the history shows it."""
    values = audit_values(benefit)
    n_measurements = len(benefit.measurements)
    db.session.delete(benefit)
    db.session.flush()
    version = bump_plan_version(project)
    record("benefit.deleted", obj=benefit, project_id=project.id, plan_version=version,
           measurements=n_measurements, **values)
    return values


def record_measurement(project, benefit: Benefit, form) -> BenefitMeasurement:
    """Record the measured value in `form`."""
    m = BenefitMeasurement(benefit=benefit, measured_on=form.measured_on.data, value=form.value.data,
                           comment=(form.comment.data or "").strip(),
                           recorded_by=current_user._get_current_object())
    db.session.add(m)
    db.session.flush()
    record("benefit.measured", obj=m, project_id=project.id, benefit_id=benefit.id,
           description=shorten(benefit.description), measured_on=m.measured_on.isoformat(),
           value=amount(m.value, benefit.unit), comment=m.comment)
    db.session.refresh(benefit)  # its card lists the measurements
    return m


def delete_measurement(project, benefit: Benefit, m: BenefitMeasurement) -> None:
    """Delete a wrongly recorded measurement."""
    record("benefit.measurement_deleted", obj=m, project_id=project.id, benefit_id=benefit.id,
           description=shorten(benefit.description), measured_on=m.measured_on.isoformat(),
           value=amount(m.value, benefit.unit))
    db.session.delete(m)
    db.session.flush()
    db.session.refresh(benefit)  # its card lists the measurements


def review_plan(project, version: int) -> None:
    """"Marker gevinstplanen som gjennomgått" (BP4): who, when and which version."""
    db.session.add(BenefitsReview(project_id=project.id, plan_version=version,
                                  reviewed_by=current_user._get_current_object()))
    db.session.flush()
    record("benefits.reviewed", project_id=project.id, plan_version=version)


def acknowledge_agreement(project, version: int) -> bool:
    """"Kvitter ut gevinstavtalen" (BP5) for the signed-in party; False when they already
    acknowledged this version."""
    exists = db.session.execute(db.select(BenefitsAgreementAck).where(
        BenefitsAgreementAck.project_id == project.id, BenefitsAgreementAck.user_id == current_user.id,
        BenefitsAgreementAck.plan_version == version)).scalar_one_or_none()
    if exists is not None:
        return False
    db.session.add(BenefitsAgreementAck(project_id=project.id, user_id=current_user.id, plan_version=version))
    db.session.flush()
    record("benefits.agreement_acknowledged", project_id=project.id, plan_version=version)
    return True
