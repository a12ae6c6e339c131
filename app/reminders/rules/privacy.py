"""The DPIA not done as BP3 comes near: the planned BP3 (a milestone marked BP3) is
close, or BP3 has been requested, and the project may process personal data."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import GateRequest, Milestone, OPEN_STATUSES, Project
from app.models.task import PrivacyAssessment
from app.notifications.handoffs import people_with_role
from app.notifications.links import path_for
from app.privacy.queries import BEFORE_BP3, PERSONAL_DATA, SETTLED
from app.reminders.due import Due
from app.reminders.periods import oslo_today


def due(today: date, config):
    days_before = max(0, int(config["REMINDER_DPIA_DAYS_BEFORE_BP3"]))
    status = func.coalesce(PrivacyAssessment.dpia_status, "ikke_vurdert")
    projects = db.session.execute(
        select(Project).outerjoin(PrivacyAssessment, PrivacyAssessment.project_id == Project.id)
        .where(Project.stage.in_(BEFORE_BP3), Project.personal_data.in_(PERSONAL_DATA),
               status.not_in(SETTLED))
        .options(joinedload(Project.owner), joinedload(Project.manager))
        .order_by(Project.id)).scalars().all()
    if not projects:
        return
    ids = [p.id for p in projects]
    planned = dict(db.session.execute(
        select(Milestone.project_id, func.min(Milestone.due_date))
        .where(Milestone.project_id.in_(ids), Milestone.gate == "BP3", Milestone.done_date.is_(None))
        .group_by(Milestone.project_id)).all())
    requested = dict(db.session.execute(
        select(GateRequest.project_id, GateRequest.requested_at)
        .where(GateRequest.project_id.in_(ids), GateRequest.gate == "BP3",
               GateRequest.status.in_(OPEN_STATUSES))).all())
    officers = None
    for project in projects:
        bp3 = planned.get(project.id)
        asked = requested.get(project.id)
        if bp3 is not None and bp3 - today <= timedelta(days=days_before):
            target = bp3
        elif asked is not None:
            target = oslo_today(asked)
        else:
            continue
        if officers is None:
            officers = people_with_role("personvern")
        yield Due("reminder_dpia", project.id, target.isoformat(),
                  [project.manager or project.owner, *officers], project,
                  path_for("plan.tasks", project_id=project.id, anchor="privacy"),
                  {"bp3": target, "requested": asked is not None and target != bp3,
                   "days_left": (target - today).days})
