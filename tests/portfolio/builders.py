"""Build portfolio data straight in the database: projects with a plan, milestones, risks,
benefits with measurements, published status reports and priority scores.

Used by the portfolio tests, the end-to-end test and (with a demo database) to look at the
pages. Every helper commits, as if the data had come through the forms.
"""
from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.models import Project
from app.models.base import utcnow
from app.models.benefit import Benefit, BenefitMeasurement
from app.models.plan import Milestone, ProjectPlan
from app.models.portfolio import PriorityScore, Programme, ProgrammeProject
from app.models.risk import Risk
from app.models.status_report import StatusReport

NEED = "Hjemmetjenesten bruker for mye tid på å skrive ut og levere papirlister hver morgen."


def project(users, title: str, *, stage: str = "planning", unit: str = "Helse og omsorg", owner: str = "ola",
            manager: str | None = "kari", submitter: str = "ida", restricted: bool = False,
            need: str = NEED, **fields) -> Project:
    p = Project(title=title, stage=stage, need=need, unit=unit, restricted=restricted,
                submitted_by=users[submitter], owner=users[owner] if owner else None,
                manager=users[manager] if manager else None,
                submitted_at=None if stage == "draft" else utcnow(), **fields)
    db.session.add(p)
    db.session.commit()
    return p


def budget(p: Project, nok: int | None) -> ProjectPlan:
    plan = ProjectPlan(project_id=p.id, budget_nok=nok)
    db.session.add(plan)
    db.session.commit()
    return plan


def milestone(p: Project, number: str, due: date, *, done: date | None = None,
              description: str = "Når piloten er evaluert") -> Milestone:
    m = Milestone(project_id=p.id, number=number, description=description, due_date=due, done_date=done)
    db.session.add(m)
    db.session.commit()
    return m


def risk(p: Project, probability: int, consequence: int, *, status: str = "open", kind: str = "risk",
         description: str = "Leverandøren leverer for sent") -> Risk:
    r = Risk(project_id=p.id, probability=probability, consequence=consequence, status=status, kind=kind,
             description=description, strategy="reduce")
    db.session.add(r)
    db.session.commit()
    return r


def benefit(p: Project, user, *, baseline: float | None = 100, target: float | None = 50,
            measurements: tuple[tuple[date, float], ...] = (), description: str = "Mindre tid på kjøring",
            kind: str = "quality") -> Benefit:
    b = Benefit(project_id=p.id, description=description, kind=kind, indicator="Timer per uke",
                unit="timer", baseline=baseline, target=target,
                baseline_measured_on=date(2025, 1, 1), due_on=date(2027, 1, 1))
    db.session.add(b)
    db.session.flush()
    for on, value in measurements:
        db.session.add(BenefitMeasurement(benefit_id=b.id, measured_on=on, value=value, recorded_by_id=user.id))
    db.session.commit()
    return b


def report(p: Project, user, *, status: str = "published", period: str = "Mars 2026", days_ago: int = 0,
           spent_to_date_nok: int | None = None, **lights) -> StatusReport:
    """A status report; `lights` like progress="red", cost="green" (others stay unrated)."""
    now = utcnow() - timedelta(days=days_ago)
    r = StatusReport(project_id=p.id, period_label=period, author_id=user.id, status=status,
                     created_at=now, published_at=now if status == "published" else None,
                     published_by_id=user.id if status == "published" else None, snapshot={},
                     spent_to_date_nok=spent_to_date_nok,
                     **{f"{area}_status": colour for area, colour in lights.items()})
    db.session.add(r)
    db.session.commit()
    return r


def score(p: Project, user, strategic=3, quality=3, economic=3, operational=3, risk_=3,
          comment: str = "") -> PriorityScore:
    s = PriorityScore(project_id=p.id, strategic_value=strategic, quality_benefit=quality,
                      economic_benefit=economic, operational_need=operational, risk=risk_,
                      comment=comment, scored_by_id=user.id)
    db.session.add(s)
    db.session.commit()
    return s


def programme(name: str, owner, *projects: Project, created_by=None, description: str = "") -> Programme:
    pr = Programme(name=name, description=description, owner_id=owner.id, created_by_id=(created_by or owner).id)
    db.session.add(pr)
    db.session.flush()
    for p in projects:
        db.session.add(ProgrammeProject(programme_id=pr.id, project_id=p.id, added_by_id=owner.id))
    db.session.commit()
    return pr


def full_project(users, title: str, *, n: int = 0, **kw) -> Project:
    """A project with one of everything the overview shows (varied by `n`)."""
    p = project(users, title, **kw)
    budget(p, 100_000 * (n + 1))
    milestone(p, "M1", date(2026, 1, 10) + timedelta(days=n), done=date(2026, 1, 9))
    milestone(p, "M2", date(2026, 6, 1) + timedelta(days=n))
    risk(p, 1 + n % 5, 1 + (n * 2) % 5)
    risk(p, 4, 5, status="closed")
    benefit(p, users["kari"], measurements=((date(2025, 6, 1), 90 - n % 40), (date(2025, 12, 1), 80 - n % 40)))
    benefit(p, users["kari"], baseline=None, target=None)
    report(p, users["kari"], period="Februar 2026", days_ago=30, progress="green")
    report(p, users["kari"], period="Mars 2026", progress=("green", "yellow", "red")[n % 3], cost="green")
    report(p, users["kari"], status="draft", period="April 2026", progress="red")
    score(p, users["lise"], strategic=1 + n % 5)
    return p
