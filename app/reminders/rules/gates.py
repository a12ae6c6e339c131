"""A gate request waiting for the owner: reminded after N working days, and again every N."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import OPEN_STATUSES, GateRequest, Project
from app.notifications.links import path_for
from app.reminders.due import Due
from app.reminders.periods import oslo_today
from app.reminders.workdays import working_days_between


def due(today: date, config):
    every = max(1, int(config["REMINDER_GATE_WORKING_DAYS"]))
    requests = db.session.execute(
        select(GateRequest).join(Project, Project.id == GateRequest.project_id)
        .where(GateRequest.status.in_(OPEN_STATUSES), Project.owner_id.is_not(None))
        .options(joinedload(GateRequest.project).joinedload(Project.owner))
        .order_by(GateRequest.id)).scalars().all()
    for req in requests:
        if req.status == "postponed":
            # The owner chose to decide on or after this date: the wait starts again then.
            if req.postponed_until is None or req.postponed_until > today:
                continue
            since = req.postponed_until
        else:
            since = oslo_today(req.requested_at)
        waited = working_days_between(since, today)
        rounds = waited // every
        if rounds < 1:
            continue
        project = req.project
        yield Due("reminder_gate", req.id, f"{since.isoformat()}/{rounds}", [project.owner], project,
                  path_for("gates.show_gate", project_id=project.id, gate_code=req.gate),
                  {"request": req, "waited": waited, "since": since, "every": every,
                   "postponed": req.status == "postponed"})
