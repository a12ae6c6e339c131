"""Demo status reports: projects from execution onwards get monthly reports, frozen with
the risks and milestones as they stand when the demo is loaded.

Call `fill(users)` after the risks and milestones are filled (the snapshot reads them).
It joins the caller's transaction and adds nothing to a project that has reports.
"""
from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone

from app.extensions import db
from app.models import Project, ProjectPlan
from app.models.status_report import StatusReport
from app.plan.status.snapshot import take_snapshot

MONTHS = ("Januar", "Februar", "Mars", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Desember")

#: (statuses: progress, cost, quality, risk, benefits; comments; overall), oldest first
PERIODS = [
    (("green", "green", "green", "yellow", "green"),
     {"risk": "Leverandøren har varslet at leveransen kan bli to uker forsinket. Vi følger det opp ukentlig."},
     "Oppstarten har gått etter planen. Prosjektgruppen er på plass, og kartleggingen av dagens "
     "arbeidsprosesser er ferdig."),
    (("yellow", "green", "green", "yellow", "green"),
     {"progress": "Pilot i første sone startet en uke senere enn planlagt fordi opplæringen tok lengre tid.",
      "risk": "Forsinkelsen hos leverandøren er redusert til én uke."},
     "Piloten er i gang. Tilbakemeldingene fra de ansatte er gode, men vi trenger flere "
     "superbrukere før neste sone."),
    (("green", "yellow", "green", "green", "green"),
     {"cost": "Lisenskostnaden ble 40 000 kr høyere enn budsjettert. Dekkes innenfor rammen, men "
              "reserven er nå liten."},
     "Vi har tatt igjen forsinkelsen. Prosjekteier bes merke seg at reserven i budsjettet er brukt opp."),
]


def _month(today: date, back: int) -> tuple[str, date, date]:
    year, month = today.year, today.month - back
    while month < 1:
        month += 12
        year -= 1
    last = calendar.monthrange(year, month)[1]
    return f"{MONTHS[month - 1]} {year}", date(year, month, 1), date(year, month, last)


def fill(users: dict) -> int:
    """Add the demo reports; returns how many were added."""
    projects = db.session.execute(
        db.select(Project).where(Project.stage.in_(("execution", "handover", "realisation", "completed")))
        .order_by(Project.id)).scalars().all()
    today = date.today()
    added = 0
    for n, project in enumerate(projects):
        if project.manager is None or db.session.execute(
                db.select(StatusReport.id).where(StatusReport.project_id == project.id)).first():
            continue
        count = 3 if project.stage == "execution" else 2
        for i in range(count):
            statuses, comments, overall = PERIODS[(i + n) % len(PERIODS)]
            label, start, end = _month(today, count - i)
            is_draft = project.stage == "execution" and n % 2 == 0 and i == count - 1
            # written two days after the period ended, frozen as the project stood then
            created = datetime.combine(end + timedelta(days=2), time(8), tzinfo=timezone.utc)
            snapshot = take_snapshot(project, end)
            budget = db.session.scalar(db.select(ProjectPlan.budget_nok).where(ProjectPlan.project_id == project.id))
            # Spent so far: a third of the budget at the first report of a running project,
            # nearly all of it once handed over.
            share = (0.3 + 0.15 * i) if project.stage == "execution" else (0.85 + 0.08 * i + 0.02 * (n % 3))
            report = StatusReport(
                project_id=project.id, period_label=label, period_start=start, period_end=end,
                overall_comment=overall, author=project.manager, created_at=created, updated_at=created,
                spent_to_date_nok=int(round(budget * share, -3)) if budget else None,
                status="draft" if is_draft else "published",
                published_at=None if is_draft else created + timedelta(hours=2),
                published_by=None if is_draft else project.manager,
                snapshot={} if is_draft else snapshot,
                **{f"{code}_status": s for code, s in zip(("progress", "cost", "quality", "risk", "benefits"), statuses)},
                **{f"{code}_comment": text for code, text in comments.items()})
            db.session.add(report)
            added += 1
    db.session.flush()
    return added
