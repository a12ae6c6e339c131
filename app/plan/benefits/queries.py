"""Reading the benefits realisation plan: the benefits, the plan's version, the review
before BP4, the benefits agreement at BP5, and the facts the gate checklists read.
(Who may do what: `Project.can_edit_benefits` and its neighbours in app/models.)"""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.benefit import Benefit, BenefitMeasurement, BenefitsAgreementAck, BenefitsPlan, BenefitsReview
from app.models.plan_permissions import BENEFITS_EDITOR_ROLE
from app.plan.common import count_of

def benefits_of(project) -> list[Benefit]:
    """The plan's benefits with their measurements and owners, in the order added."""
    return list(db.session.execute(
        db.select(Benefit).where(Benefit.project_id == project.id)
        .options(selectinload(Benefit.measurements).joinedload(BenefitMeasurement.recorded_by),
                 selectinload(Benefit.owner))
        .order_by(Benefit.id)).scalars())


def default_benefit_owner(project):
    """The gevinstansvarlig a new benefit gets unless someone else is chosen: the
    project's first gevinstansvarlig, else the prosjekteier."""
    owners = project.members_with(BENEFITS_EDITOR_ROLE)
    return owners[0] if owners else project.owner


# --- the plan's version ------------------------------------------------------------------
def plan_version(project) -> int:
    """The benefits plan's current version; 0 before the first benefit."""
    value = db.session.execute(
        db.select(BenefitsPlan.plan_version).where(BenefitsPlan.project_id == project.id)
    ).scalar_one_or_none()
    return value or 0


# --- review (BP4) and agreement (BP5) -----------------------------------------------------
def latest_review(project) -> BenefitsReview | None:
    return db.session.execute(
        db.select(BenefitsReview).where(BenefitsReview.project_id == project.id)
        .order_by(BenefitsReview.reviewed_at.desc(), BenefitsReview.id.desc()).limit(1)
    ).scalar_one_or_none()


def is_plan_reviewed(project, version: int | None = None) -> bool:
    """A review exists for the plan as it is now (a later change needs a new review)."""
    version = plan_version(project) if version is None else version
    if version == 0:
        return False
    return count_of(project, BenefitsReview, BenefitsReview.plan_version == version) > 0


def latest_acks(project) -> dict[int, BenefitsAgreementAck]:
    """Each person's most recent acknowledgement, whatever version it was for."""
    acks = db.session.execute(
        db.select(BenefitsAgreementAck).where(BenefitsAgreementAck.project_id == project.id)
        .order_by(BenefitsAgreementAck.plan_version, BenefitsAgreementAck.id)
    ).scalars().all()
    return {a.user_id: a for a in acks}


def agreement_status(project, version: int | None = None) -> list[dict]:
    """For each party: the person, their latest acknowledgement, and whether it counts
    (only one for the current version does)."""
    version = plan_version(project) if version is None else version
    acks = latest_acks(project)
    rows = []
    for person in project.agreement_parties():
        ack = acks.get(person.id)
        rows.append({"person": person, "ack": ack,
                     "current": ack is not None and version > 0 and ack.plan_version == version,
                     "is_owner": person.id == project.owner_id})
    return rows


def is_agreement_acknowledged(project, version: int | None = None) -> bool:
    """Every party has acknowledged the plan as it is now."""
    version = plan_version(project) if version is None else version
    rows = agreement_status(project, version)
    return version > 0 and bool(rows) and all(r["current"] for r in rows)


# --- gate facts ----------------------------------------------------------------------------
def benefit_facts(project) -> dict:
    """The ProjectFacts this tab feeds (see app.workflow.facts)."""
    benefits = db.session.execute(
        db.select(Benefit).where(Benefit.project_id == project.id)).scalars().all()
    measured_ids = set(db.session.execute(
        db.select(Benefit.id).join(Benefit.measurements).where(Benefit.project_id == project.id)
    ).scalars())
    version = plan_version(project)
    return dict(
        benefit_count=len(benefits),
        benefits_measurable=bool(benefits) and all(b.is_measurable for b in benefits),
        has_benefit_measurements=bool(benefits) and all(b.id in measured_ids for b in benefits),
        benefits_plan_reviewed=is_plan_reviewed(project, version),
        benefits_agreement_acknowledged=is_agreement_acknowledged(project, version),
    )
