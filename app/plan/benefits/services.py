"""The benefits realisation plan's rules: who may do what, the plan's version, the review
before BP4, the benefits agreement at BP5, and the facts the gate checklists read."""
from __future__ import annotations

from datetime import date

from flask_babel import format_date, format_decimal
from sqlalchemy import func, update

from app.extensions import db
from app.models.benefit import (BENEFIT_KINDS, Benefit, BenefitsAgreementAck, BenefitsPlan,
                                BenefitsReview)
from app.plan.common import CLOSED_STAGES, can_edit_plan

#: the ProjectMember role that may edit this tab besides the owner and the manager
EXTRA_ROLE = "benefits_owner"


# --- permissions: the same functions guard the views and decide which buttons show ------
def can_edit_benefits(project, user) -> bool:
    """Add, change and delete benefits: the prosjektleder, the prosjekteier, admins and
    the project's gevinstansvarlige (who own the benefits plan)."""
    return can_edit_plan(project, user, EXTRA_ROLE)


def can_record_measurement(project, user, benefit: Benefit | None = None) -> bool:
    """Record (or delete) a measurement: those who edit the plan, and the benefit's own
    gevinstansvarlig, during the project and after handover until BP6 is passed."""
    if project.stage in CLOSED_STAGES or project.stage == "draft":
        return False
    if can_edit_benefits(project, user):
        return True
    return benefit is not None and benefit.owner_id == user.id


def can_review_plan(project, user) -> bool:
    """"Marker gevinstplanen som gjennomgått": the owner or the manager, in execution (BP4)."""
    return project.stage == "execution" and user.id in (project.owner_id, project.manager_id)


def agreement_parties(project) -> list:
    """Who must acknowledge the benefits agreement: every gevinstansvarlig (the owner
    when none is named) and the owner, each once."""
    people = project.members_with(EXTRA_ROLE)
    if project.owner is not None:
        people = [*people, project.owner]
    seen, out = set(), []
    for person in people:
        if person.id not in seen:
            seen.add(person.id)
            out.append(person)
    return out


def can_acknowledge_agreement(project, user) -> bool:
    """"Kvitter ut gevinstavtalen": the parties to the agreement, in the handover stage."""
    return project.stage == "handover" and any(p.id == user.id for p in agreement_parties(project))


def default_benefit_owner(project):
    """The gevinstansvarlig a new benefit gets unless someone else is chosen: the
    project's first gevinstansvarlig, else the prosjekteier."""
    owners = project.members_with(EXTRA_ROLE)
    return owners[0] if owners else project.owner


# --- the plan's version ------------------------------------------------------------------
def plan_version(project) -> int:
    """The benefits plan's current version; 0 before the first benefit."""
    value = db.session.execute(
        db.select(BenefitsPlan.plan_version).where(BenefitsPlan.project_id == project.id)
    ).scalar_one_or_none()
    return value or 0


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
    from app.notifications import handoffs

    handoffs.benefits_plan_changed(project, before)
    return plan_version(project)


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
    return db.session.execute(
        db.select(func.count(BenefitsReview.id)).where(
            BenefitsReview.project_id == project.id, BenefitsReview.plan_version == version)
    ).scalar_one() > 0


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
    for person in agreement_parties(project):
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


# --- display helpers -----------------------------------------------------------------------
def number(value: float | None) -> str:
    """120 → "120", 1234.5 → "1 234,5" (Norwegian format); "" for None."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.######")


def approx(value: float | None) -> float | None:
    """A computed value rounded for reading: whole numbers from 100, else one or two decimals."""
    if value is None:
        return None
    size = abs(value)
    return round(value) if size >= 100 else round(value, 1) if size >= 10 else round(value, 2)


def amount(value: float | None, unit: str = "") -> str:
    """A value with its unit: "95 timer", "450 000 kr"."""
    if value is None:
        return ""
    return f"{number(value)}\u00a0{unit}".strip() if unit else number(value)


def month(value: date | None) -> str:
    """"jan. 2026"."""
    return format_date(value, "MMM yyyy") if value else ""


def schedule_label(benefit) -> str:
    """The measurement schedule in words: "hvert kvartal i 3 år etter overleveringen"."""
    from flask_babel import gettext as _, ngettext

    from app.reminders.periods import MEASURE_EVERY

    every = MEASURE_EVERY.get(benefit.measure_every_months)
    if every is None:
        return ""
    every = str(every).lower()
    if benefit.measure_for_years:
        return ngettext("%(e)s i %(num)d år etter overleveringen", "%(e)s i %(num)d år etter overleveringen",
                        benefit.measure_for_years, e=every)
    return _("%(e)s etter overleveringen, til gevinstarbeidet er avsluttet", e=every)


def kind_label(code: str) -> str:
    return BENEFIT_KINDS.get(code, code)
