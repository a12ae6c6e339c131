"""A milestone due in the coming week, or overdue (again every N days while it is)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Milestone, Project
from app.notifications.links import path_for
from app.plan.common import CLOSED_STAGES
from app.reminders.due import Due


def due(today: date, config):
    ahead = max(0, int(config["REMINDER_MILESTONE_DAYS_AHEAD"]))
    every = max(0, int(config["REMINDER_MILESTONE_OVERDUE_EVERY_DAYS"]))
    rows = db.session.execute(
        select(Milestone, Project).join(Project, Project.id == Milestone.project_id)
        .where(Milestone.done_date.is_(None), Milestone.due_date <= today + timedelta(days=ahead),
               Project.stage.not_in((*CLOSED_STAGES, "draft")))
        .options(joinedload(Milestone.responsible), joinedload(Project.owner), joinedload(Project.manager))
        .order_by(Milestone.due_date, Milestone.id)).all()
    for m, project in rows:
        if m.due_date >= today:
            period = f"soon/{m.due_date.isoformat()}"
            overdue_days = 0
        else:
            overdue_days = (today - m.due_date).days
            rounds = overdue_days // every if every else 0
            period = f"late/{m.due_date.isoformat()}/{rounds}"
        yield Due("reminder_milestone", m.id, period,
                  [m.responsible or project.manager or project.owner], project,
                  path_for("plan.milestones", project_id=project.id, anchor=f"milestone-{m.id}"),
                  {"milestone": m, "overdue_days": overdue_days, "days_left": (m.due_date - today).days})
