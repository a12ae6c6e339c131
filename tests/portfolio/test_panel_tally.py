"""The panels' stored counts (app/models/portfolio_tally.py) are never stale: every change
shows in the panels at once, the counts always equal a count from scratch, and a
restricted project is counted only for those who may see it."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from app.extensions import db
from app.models import ProjectMember
from app.models.benefit import BenefitMeasurement
from app.models.portfolio_tally import PortfolioTally, rebuild_tally
from tests.portfolio import builders as b
from tests.portfolio.helpers import section_text
from tests.support.factories import csrf_token


def _stored() -> Counter:
    return Counter({(t.panel, t.stage, t.unit, t.restricted, t.bucket): t.count
                    for t in db.session.scalars(db.select(PortfolioTally)) if t.count})


def assert_same_as_counted_anew() -> None:
    """The stored counts equal the counts made from the tables as they stand."""
    kept = _stored()
    rebuild_tally(db.session.connection())
    assert kept == _stored()
    db.session.rollback()


def panels(client, query: str = "") -> dict:
    html = client.get(f"/portfolio/panels{query}", headers={"HX-Request": "true"}).get_data(as_text=True)
    cells = {(int(p), int(c)): int(n) for p, c, n in re.findall(r"Sannsynlighet (\d), konsekvens (\d): (\d+)", html)}
    return {"heat": cells, "funnel": section_text(html, "funnel-h"), "benefits": section_text(html, "benefits-h")}


def test_a_risk_changed_through_its_form_moves_in_the_heat_map_at_once(as_user, users):
    p = b.project(users, "Digital byggesøknad", stage="execution", owner="ola", manager="kari")
    r = b.risk(p, 2, 3)
    kari, lise = as_user("kari"), as_user("lise")
    assert panels(lise)["heat"][(2, 3)] == 1 and panels(lise)["heat"][(5, 5)] == 0
    token = csrf_token(kari, f"/projects/{p.id}/risks")
    fields = {"kind": "risk", "description": r.description, "probability": "5", "consequence": "5",
              "strategy": "reduce", "action": "", "status": "open", "version": str(r.version)}
    response = kari.post(f"/projects/{p.id}/risks/{r.id}",
                         data={"csrf_token": token, **{f"r{r.id}_{k}": v for k, v in fields.items()}})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]  # saved
    heat = panels(lise)["heat"]
    assert heat[(2, 3)] == 0 and heat[(5, 5)] == 1
    assert_same_as_counted_anew()


def test_every_kind_of_change_keeps_the_counts_exact(as_user, users):
    p = b.project(users, "Velferdsteknologi", stage="planning", unit="Helse og omsorg")
    q = b.project(users, "Skoleskyss-app", stage="execution", unit="Oppvekst")
    r1, r2 = b.risk(p, 1, 1), b.risk(q, 4, 4)
    b.risk(q, 3, 3, kind="opportunity")  # not a risk: never counted
    benefit = b.benefit(p, users["kari"])
    assert_same_as_counted_anew()
    lise = as_user("lise")
    assert "Ikke målt ennå" in panels(lise)["benefits"]

    r1.probability = 5  # edited
    r2.status = "closed"  # closed: leaves the map
    db.session.commit()
    assert panels(lise)["heat"][(5, 1)] == 1 and panels(lise)["heat"][(4, 4)] == 0
    assert_same_as_counted_anew()

    db.session.add(BenefitMeasurement(benefit_id=benefit.id, measured_on=date(2026, 3, 1), value=40,
                                      recorded_by_id=users["kari"].id))  # beyond the target: reached
    db.session.commit()
    assert "Målet er nådd" in panels(lise)["benefits"]
    assert_same_as_counted_anew()

    p.stage, p.unit = "execution", "Teknisk"  # the project moves with everything it counts
    db.session.commit()
    assert panels(lise, "?unit=Teknisk")["heat"][(5, 1)] == 1
    assert panels(lise, "?unit=Helse+og+omsorg")["heat"][(5, 1)] == 0
    assert_same_as_counted_anew()

    db.session.delete(r1)
    db.session.delete(benefit)
    db.session.commit()
    assert sum(panels(lise)["heat"].values()) == 0
    assert_same_as_counted_anew()

    db.session.delete(q)
    db.session.commit()
    assert_same_as_counted_anew()


def test_a_rolled_back_change_leaves_the_counts_as_they_were(as_user, users):
    p = b.project(users, "Chatbot", stage="planning")
    b.risk(p, 2, 2)
    before = _stored()
    from app.models.risk import Risk

    db.session.add(Risk(project_id=p.id, probability=5, consequence=5, status="open", kind="risk",
                        description="Ny risiko", strategy="reduce"))
    db.session.flush()
    assert _stored() != before  # counted within the transaction …
    db.session.rollback()
    assert _stored() == before  # … and gone with it
    assert panels(as_user("lise"))["heat"][(5, 5)] == 0


@pytest.mark.parametrize("viewer, sees", [("per", False), ("ola", False), ("mona", True), ("kari", True),
                                          ("lise", True), ("admin", True)])
def test_restricted_projects_count_only_for_those_who_may_see_them(as_user, users, viewer, sees):
    from tests.support.factories import make_user

    users["mona"] = make_user("mona", display_name="Mona Medlem")
    hidden = b.project(users, "Skjult omorganisering", stage="planning", unit="Barnevern", owner="randi",
                       manager="kari", restricted=True)
    db.session.add(ProjectMember(project_id=hidden.id, user_id=users["mona"].id, role="member"))
    db.session.commit()
    shown = b.project(users, "Åpent prosjekt", stage="planning", unit="Barnevern", owner="ola", manager="ida")
    b.risk(hidden, 5, 5)
    b.risk(shown, 1, 1)
    for query in ("", "?stage=planning", "?unit=Barnevern"):
        seen = panels(as_user(viewer), query)
        assert seen["heat"][(5, 5)] == (1 if sees else 0), (viewer, query)
        assert seen["heat"][(1, 1)] == 1
    hidden.restricted = False  # the owner lifts "Skjermet": everyone counts it at once
    db.session.commit()
    assert panels(as_user(viewer))["heat"][(5, 5)] == 1
    assert_same_as_counted_anew()
