"""One kommune's week, built straight in the database around a chosen morning: something
due for every kind of reminder."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from app.extensions import db
from app.models import GateDecision, GateRequest, Milestone, ProjectMember, ProjectPlan
from app.models.benefit import Benefit
from app.reminders.periods import OSLO, add_months
from app.reminders.workdays import working_days_between
from tests.gates.flow import make_project
from tests.support.factories import make_user


def morning_after_tomorrow() -> tuple[date, datetime]:
    """(day, 08:00 that day in Oslo): later than anything created now, so the morning's
    digest of that day includes what the test creates."""
    day = datetime.now(OSLO).date() + timedelta(days=2)
    return day, datetime.combine(day, time(8), OSLO)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), OSLO).astimezone(timezone.utc)


def _approved(project, gate: str, day: date, owner) -> None:
    req = GateRequest(project_id=project.id, gate=gate, status="approved", requested_by=owner,
                      requested_at=_at(day))
    db.session.add(req)
    db.session.flush()
    db.session.add(GateDecision(request_id=req.id, decision="approve", decided_by=owner, decided_at=_at(day)))


def build(users, day: date) -> dict:
    """Projects with one reminder of each kind due on `day`; returns what the test reads."""
    nils = make_user("nils", display_name="Nils Bakke", leader="ola")
    # Running: weekly status reports, one milestone due in three days, one two weeks late.
    running = make_project(users, title="Digital tilsynsrapport", stage="execution", owner="ola", manager="kari")
    db.session.add(ProjectPlan(project_id=running.id, report_interval="week"))
    _approved(running, "BP3", day - timedelta(days=60), users["ola"])
    soon = Milestone(project_id=running.id, number="M2", description="Når piloten er evaluert",
                     responsible=nils, due_date=day + timedelta(days=3))
    late = Milestone(project_id=running.id, number="M1", description="Når testmiljøet er klart",
                     due_date=day - timedelta(days=14))
    db.session.add_all([soon, late])

    # Planning, personal data, BP3 asked for six working days ago; BP3 planned in 20 days.
    planning = make_project(users, title="Ny EPJ for helse og omsorg", stage="planning", owner="ola",
                            manager="kari", personal_data="yes")
    asked = day - timedelta(days=1)
    while working_days_between(asked, day) < 6:
        asked -= timedelta(days=1)
    request = GateRequest(project_id=planning.id, gate="BP3", status="pending", requested_by=users["kari"],
                          requested_at=_at(asked))
    db.session.add(request)
    db.session.add(Milestone(project_id=planning.id, number="M3", description="Når styringsdokumentet er godkjent",
                             gate="BP3", responsible=users["kari"], due_date=day + timedelta(days=20)))

    # Handed over to the line three months ago: a quarterly measurement is due today.
    realising = make_project(users, title="Velferdsteknologi", stage="realisation", owner="ola", manager="kari")
    _approved(realising, "BP5", add_months(day, -3), users["ola"])
    realising.members.append(ProjectMember(user=users["randi"], role="benefits_owner"))
    benefit = Benefit(project_id=realising.id, description="Færre nattlige tilsynsbesøk", kind="quality",
                      indicator="Tilsynsbesøk per natt", unit="besøk", owner=users["randi"],
                      measure_every_months=3, measure_for_years=3)
    db.session.add(benefit)
    db.session.commit()
    return {"running": running, "planning": planning, "realising": realising, "request": request,
            "soon": soon, "late": late, "benefit": benefit, "nils": nils, "asked": asked}
