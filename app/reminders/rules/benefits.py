"""A benefit measurement due by the benefit's own schedule, after the handover to the line
(BP5 approved), to its gevinstansvarlig."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Project
from app.models.benefit import Benefit, BenefitMeasurement
from app.notifications.links import path_for
from app.reminders.due import Due
from app.reminders.history import approved_on
from app.reminders.periods import MEASURE_EVERY, add_months
from app.reminders.schedule import current_due, schedule_end

#: stages in which the line measures the benefits (after the handover)
MEASURING_STAGES = ("realisation",)


def due(today: date, config):
    days_before = max(0, int(config["REMINDER_MEASUREMENT_DAYS_BEFORE"]))
    rows = db.session.execute(
        select(Benefit).join(Project, Project.id == Benefit.project_id)
        .where(Benefit.measure_every_months.is_not(None), Project.stage.in_(MEASURING_STAGES))
        .options(joinedload(Benefit.owner), joinedload(Benefit.project).joinedload(Project.owner))
        .order_by(Benefit.id)).scalars().all()
    if not rows:
        return
    handed = approved_on("BP5", {b.project_id for b in rows})
    last = dict(db.session.execute(
        select(BenefitMeasurement.benefit_id, func.max(BenefitMeasurement.measured_on))
        .where(BenefitMeasurement.benefit_id.in_([b.id for b in rows]))
        .group_by(BenefitMeasurement.benefit_id)).all())
    for benefit in rows:
        start = handed.get(benefit.project_id)
        if start is None:
            continue
        due_on = current_due(benefit, start, today + timedelta(days=days_before))
        if due_on is None:
            continue
        window_start = add_months(due_on, -benefit.measure_every_months)
        measured = last.get(benefit.id)
        if measured is not None and measured > window_start:
            continue  # measured in this round already
        project = benefit.project
        owner = benefit.owner or next(iter(project.members_with("benefits_owner")), None) or project.owner
        yield Due("reminder_measurement", benefit.id, due_on.isoformat(), [owner], project,
                  path_for("plan.benefits", project_id=project.id, anchor=f"benefit-{benefit.id}-m"),
                  {"benefit": benefit, "due_on": due_on, "every_label": MEASURE_EVERY.get(  # lazy: the recipient's language
                      benefit.measure_every_months, ""), "until": schedule_end(benefit, start),
                   "overdue": due_on < today})
