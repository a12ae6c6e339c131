"""The risks tab's state changes, each with its audit event (the request commits once)."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.audit import delete_recorded, record
from app.extensions import db
from app.models.risk import ITPOSMO_DIMENSIONS, ItposmoAssessment, Risk
from app.plan.common import StaleEdit, apply_edit, check_version
from app.plan.editing import save, shorten
from app.plan.risks.forms import RiskForm


def audit_values(risk: Risk) -> dict:
    """The risk as the history shows it."""
    return dict(
        description=shorten(risk.description), kind=risk.kind, probability=risk.probability,
        consequence=risk.consequence, score=risk.score, strategy=risk.strategy, risk_action=shorten(risk.action),
        responsible=risk.responsible.display_name if risk.responsible else "", status=risk.status,
        probability_after=risk.probability_after, consequence_after=risk.consequence_after,
        after_comment=shorten(risk.after_comment),
    )


def _apply(risk: Risk, form: RiskForm, person) -> None:
    risk.kind = form.kind.data
    risk.description = form.description.data.strip()
    risk.probability = RiskForm.scale_value(form.probability)
    risk.consequence = RiskForm.scale_value(form.consequence)
    risk.strategy = form.strategy.data or ""
    risk.action = (form.action.data or "").strip()
    risk.responsible = person
    risk.status = form.status.data
    risk.probability_after = RiskForm.scale_value(form.probability_after)
    risk.consequence_after = RiskForm.scale_value(form.consequence_after)
    risk.after_comment = (form.after_comment.data or "").strip()


def create_risk(project, form: RiskForm, person) -> Risk:
    """Add the risk or opportunity in `form` (`person` is its responsible)."""
    risk = Risk(project_id=project.id)
    _apply(risk, form, person)
    db.session.add(risk)
    db.session.flush()
    record("risk.created", obj=risk, project_id=project.id, **audit_values(risk))
    return risk


def update_risk(project, risk: Risk, form: RiskForm, person, *, valid: bool) -> dict | None:
    """Save `form` over `risk` when it is `valid` and was loaded at the risk's version.

    Returns the changes ({field: [before, after]}, empty when nothing changed), or None when
    the form is not valid; raises StaleEdit (with the current risk) for an older version."""
    changes = apply_edit(risk, form.version.data, lambda obj: _apply(obj, form, person), audit_values,
                         valid=valid)
    if changes:
        record("risk.updated", obj=risk, project_id=project.id, description=shorten(risk.description),
               kind=risk.kind, changes=changes)
    return changes


def delete_risk(project, risk: Risk) -> dict:
    """Delete the risk; returns how the history shows it."""
    values = audit_values(risk)
    delete_recorded(risk, "risk.deleted", project_id=project.id, **values)
    return values


def itposmo_of(project) -> ItposmoAssessment | None:
    """The project's ITPOSMO assessment, if anyone has made it."""
    return db.session.execute(
        db.select(ItposmoAssessment).where(ItposmoAssessment.project_id == project.id)).scalar_one_or_none()


def check_itposmo_version(assessment: ItposmoAssessment | None, version) -> None:
    """Raise StaleEdit when the form was loaded at another version. Version 0 in the form:
    the person started from no assessment at all (anything else then is a forged form)."""
    if assessment is not None:
        check_version(assessment, version)
    elif str(version or "0") != "0":
        abort(400)


def save_itposmo(project, assessment: ItposmoAssessment | None, form) -> ItposmoAssessment:
    """Save the seven scores and comments (the first save creates the assessment). Raises
    StaleEdit, with the transaction rolled back, when someone else changed or created it
    a moment ago."""
    created = assessment is None
    if created:
        assessment = ItposmoAssessment(project_id=project.id)
        db.session.add(assessment)
    before = assessment.scores() if not created else {}
    for code in ITPOSMO_DIMENSIONS:
        setattr(assessment, code, getattr(form, code).data)
        setattr(assessment, f"{code}_comment", (getattr(form, f"{code}_comment").data or "").strip())
    assessment.updated_by = current_user._get_current_object()
    try:
        save(assessment)
    except (StaleEdit, IntegrityError):
        db.session.rollback()
        current = itposmo_of(project)
        raise StaleEdit(current) from None
    record("itposmo.saved", obj=assessment, project_id=project.id, total=assessment.total,
           scores=assessment.scores(), before=before, warning=assessment.needs_warning)
    return assessment
