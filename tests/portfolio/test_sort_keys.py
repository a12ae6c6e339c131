"""The stored sort keys (app/models/sort_keys.py): Norwegian order on both databases, and
never stale after an edit, whichever table the edit touched."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Project
from app.models.sort_keys import DERIVED_KEYS, derived_key_values, norwegian_key
from tests.portfolio import builders as b
from tests.portfolio.helpers import table_rows

APP = Path(__file__).resolve().parents[2] / "app"
NORWEGIAN = ["Apotek", "Élev", "ordning", "Zebra", "Ærlig", "Øvre", "Åpen"]


def stale_keys() -> list[tuple[int, str, object, object]]:
    """(project id, key, stored, computed now) for every stored key that is out of date."""
    derived = derived_key_values()
    rows = db.session.execute(select(Project.id, Project.title, Project.unit, Project.stage,
                                     Project.title_key, Project.unit_key, Project.stage_rank,
                                     *[getattr(Project, k) for k in DERIVED_KEYS],
                                     *[derived[k].label(f"now_{k}") for k in DERIVED_KEYS])).all()
    out = []
    for r in rows:
        m = r._mapping
        for stored, now in (("title_key", norwegian_key(r.title)), ("unit_key", norwegian_key(r.unit))):
            if m[stored] != now:
                out.append((r.id, stored, m[stored], now))
        for k in DERIVED_KEYS:
            a, c = m[k], m[f"now_{k}"]
            if not (a == c or (isinstance(a, float) and c is not None and abs(a - c) < 1e-9)):
                out.append((r.id, k, a, c))
    from app.models.benefit import Benefit
    from app.portfolio.columns import benefit_category

    for bid, stored, now in db.session.execute(select(Benefit.id, Benefit.progress_category, benefit_category())):
        if stored != now:
            out.append((bid, "progress_category", stored, now))
    return out


def test_norwegian_key_puts_ae_oe_aa_after_z_and_folds_case_and_accents():
    assert sorted(reversed(NORWEGIAN), key=norwegian_key) == NORWEGIAN
    assert norwegian_key("  Åpen   KOMMUNE ") == norwegian_key("åpen kommune")
    assert norwegian_key("Ärlig") == norwegian_key("Ærlig") and norwegian_key("Öl") == norwegian_key("Øl")


def test_the_portfolio_sorts_by_title_in_norwegian_order_both_ways(as_user, users):
    for title in reversed(NORWEGIAN):
        b.project(users, title)
    client = as_user("lise")
    assert table_rows(client.get("/portfolio?sort=title").get_data(as_text=True)) == NORWEGIAN
    assert table_rows(client.get("/portfolio?sort=title&dir=desc").get_data(as_text=True)) == NORWEGIAN[::-1]


def test_a_renamed_project_moves_to_its_new_place(as_user, users, db):
    projects = {t: b.project(users, t) for t in ("Apotek", "Zebra", "Øvre")}
    projects["Apotek"].title = "Åpen barnehage"
    db.session.commit()
    html = as_user("lise").get("/portfolio?sort=title").get_data(as_text=True)
    assert table_rows(html) == ["Zebra", "Øvre", "Åpen barnehage"]
    assert stale_keys() == []


def test_every_kind_of_edit_keeps_every_key_current(as_user, users, db):
    p = b.project(users, "Velferdsteknologi", stage="planning")
    q = b.project(users, "Chatbot", stage="idea", manager=None)
    plan = b.budget(p, 1_000_000)
    m1 = b.milestone(p, "M1", date(2026, 3, 1))
    b.milestone(p, "M2", date(2026, 6, 1))
    b.report(p, users["kari"], period="Mars", progress="yellow", days_ago=1)
    b.benefit(p, users["kari"], baseline=100, target=50, measurements=((date(2025, 9, 1), 75),))
    score = b.score(p, users["lise"], strategic=5, quality=4, economic=3, operational=5, risk_=2)
    assert stale_keys() == []
    before = db.session.execute(select(Project.sort_milestone, Project.sort_budget, Project.sort_status,
                                       Project.sort_priority, Project.sort_owner).where(Project.id == p.id)).one()
    assert before == (date(2026, 3, 1), 1_000_000, 2, score.priority, norwegian_key("Ola Nordmann"))

    # Each of these moves a key that lives in another table than project.
    m1.done_date = date(2026, 2, 27)
    plan.budget_nok = 2_500_000
    b.report(p, users["kari"], period="April", risk="red")  # a newer published report (commits)
    score.strategic_value = 1
    users["ola"].display_name = "Åse Olsen"
    q.stage, q.title, q.unit = "concept", "Årsplan", "Økonomi"
    db.session.commit()
    assert stale_keys() == []
    after = db.session.execute(select(Project.sort_milestone, Project.sort_budget, Project.sort_status,
                                      Project.sort_owner).where(Project.id == p.id)).one()
    assert after == (date(2026, 6, 1), 2_500_000, 3, norwegian_key("Åse Olsen"))
    # A new measurement moves the benefit's category (the benefits panel counts it).
    from app.models.benefit import Benefit, BenefitMeasurement

    benefit = db.session.execute(select(Benefit).where(Benefit.project_id == p.id)).scalar_one()
    assert benefit.progress_category == "halfway"  # 100 → 75 of the way to 50
    db.session.add(BenefitMeasurement(benefit_id=benefit.id, measured_on=date(2026, 1, 1), value=45,
                                      recorded_by_id=users["kari"].id))
    db.session.commit()
    assert benefit.progress_category == "reached" and stale_keys() == []
    # Deleting what a key came from empties it.
    db.session.delete(plan)
    db.session.commit()
    assert db.session.execute(select(Project.sort_budget).where(Project.id == p.id)).scalar_one() is None
    assert stale_keys() == []


def test_the_demo_data_has_current_keys(app, db):
    from app.demo import load  # what `flask demo load` (make run) does

    assert load()
    assert db.session.execute(select(Project.id)).first() is not None
    assert stale_keys() == []


def test_no_core_statement_writes_the_tables_the_keys_come_from():
    """A core INSERT/UPDATE/DELETE goes around the ORM events that keep the keys; the one
    there is (taking the project's row lock) sets only updated_at."""
    tables = ("Project", "StatusReport", "Milestone", "ProjectPlan", "Benefit", "BenefitMeasurement",
              "PriorityScore", "PrivacyAssessment", "User")
    pattern = re.compile(rf"\b(update|insert|delete)\(\s*({'|'.join(tables)})\b[^\n]*(\n[^\n]*){{0,2}}")
    found = []
    for path in APP.rglob("*.py"):
        if path.name == "sort_keys.py":
            continue
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            if "values(updated_at=utcnow())" not in match.group(0):
                found.append(f"{path.relative_to(APP)}: {match.group(0).splitlines()[0].strip()}")
    assert found == []
