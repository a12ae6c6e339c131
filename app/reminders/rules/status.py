"""A status report due by the project's reporting interval (during execution)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Project, ProjectPlan
from app.models.status_report import StatusReport
from app.notifications.links import path_for
from app.reminders.due import Due
from app.reminders.history import approved_on
from app.reminders.periods import REPORT_INTERVALS, oslo_today, report_period

#: a project that started execution this close to a period's end reports from the next one
GRACE_DAYS = 14


def due(today: date, config):
    days_before = max(0, int(config["REMINDER_STATUS_DAYS_BEFORE"]))
    rows = db.session.execute(
        select(Project, ProjectPlan.report_interval)
        .outerjoin(ProjectPlan, ProjectPlan.project_id == Project.id)
        .where(Project.stage == "execution")
        .options(joinedload(Project.owner), joinedload(Project.manager))
        .order_by(Project.id)).all()
    if not rows:
        return
    ids = [p.id for p, _interval in rows]
    started = approved_on("BP3", ids)
    latest = dict(db.session.execute(
        select(StatusReport.project_id, func.max(StatusReport.published_at))
        .where(StatusReport.status == "published", StatusReport.project_id.in_(ids))
        .group_by(StatusReport.project_id)).all())
    for project, interval in rows:
        interval = "month" if interval is None else interval
        period = report_period(interval, today)
        if period is None or today < period.end - timedelta(days=days_before):
            continue
        began = started.get(project.id)
        if began is not None and (period.end - began).days < GRACE_DAYS:
            continue
        published = latest.get(project.id)
        if published is not None and oslo_today(published) >= period.start:
            continue
        yield Due("reminder_status", project.id, period.key, [project.manager or project.owner], project,
                  path_for("plan.status", project_id=project.id),
                  {"period": period, "interval_label": REPORT_INTERVALS.get(interval, interval)})

