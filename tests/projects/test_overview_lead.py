"""A running project's overview leads with where it stands (issue 14): the latest status
per area, the next milestones, budget against spent, the open risks the matrix calls high
(score 12–25) and the next gate,
with "Om ideen" below; and the project's tabs come in groups."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from app.extensions import db
from app.models.economy import BudgetLine
from app.models.plan import Milestone
from app.models.risk import Risk
from app.models.status_report import StatusReport
from tests.plan.core_helpers import browser, cast, make_project  # noqa: F401


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def running(cast):
    p = make_project(cast, title="Digitale trygghetsalarmer", stage="execution", owner="ola", manager="kari")
    today = date.today()
    db.session.add_all([
        StatusReport(project_id=p.id, period_label="Oktober 2026", status="published", author_id=cast["kari"].id,
                     published_at=datetime(2026, 11, 2, tzinfo=timezone.utc), progress_status="green",
                     cost_status="yellow", quality_status="green", risk_status="red", benefits_status="green",
                     spent_to_date_nok=300_000),
        StatusReport(project_id=p.id, period_label="November 2026", status="draft", author_id=cast["kari"].id,
                     spent_to_date_nok=999_999),
        Milestone(project_id=p.id, number="M1", description="Avtale signert", due_date=today - timedelta(days=40),
                  done_date=today - timedelta(days=41)),
        Milestone(project_id=p.id, number="M2", description="Pilot i én sone", due_date=today - timedelta(days=3)),
        Milestone(project_id=p.id, number="M3", description="Alle brukere over", due_date=today + timedelta(days=60)),
        BudgetLine(project_id=p.id, year=2026, investment_nok=800_000, operating_nok=200_000),
        Risk(project_id=p.id, kind="risk", description="Leverandøren leverer for sent", probability=4,
             consequence=4, strategy="reduce"),
        Risk(project_id=p.id, kind="risk", description="Akkurat tolv", probability=3, consequence=4),
        Risk(project_id=p.id, kind="risk", description="Lukket og høy", probability=5, consequence=5,
             status="closed"),
    ])
    db.session.commit()
    return p


def test_a_running_project_leads_with_status_milestones_money_risks_and_the_gate(browser, cast):
    p = running(cast)
    page = text(browser("ida").get(f"/projects/{p.id}").get_data(as_text=True))
    assert page.index("Status nå") < page.index("Om ideen")
    assert "Fra statusrapporten for Oktober 2026" in page  # the published one, not the draft
    assert "Fremdrift Fremdrift: Grønn" in page and "Økonomi Økonomi: Gul" in page and "Risiko Risiko: Rød" in page
    assert "Forsinket M2 Pilot i én sone" in page and "M3 Alle brukere over" in page
    assert "Avtale signert" not in page  # done
    assert "Budsjett 1 000 000 kr" in page and "Brukt så langt 300 000 kr (30 % av budsjettet)" in page
    assert "Høye risikoer (skår 12–25) 16 Leverandøren leverer for sent 12 Akkurat tolv" in page
    assert "Lukket og høy" not in page
    assert "Neste beslutningspunkt Neste steg er BP4." in page


def test_the_overview_lists_exactly_the_risks_the_matrix_calls_high(browser, cast):
    """Score 12 is «Høy» in the matrix (12–25), so the overview lists it; 10 is «Middels»."""
    p = make_project(cast, title="Grensetilfeller", stage="execution", owner="ola", manager="kari")
    db.session.add_all([Risk(project_id=p.id, kind="risk", description="Skår tolv", probability=4, consequence=3),
                        Risk(project_id=p.id, kind="risk", description="Skår ti", probability=5, consequence=2)])
    db.session.commit()
    client = browser("kari")
    overview = text(client.get(f"/projects/{p.id}").get_data(as_text=True))
    matrix = client.get(f"/projects/{p.id}/risks").get_data(as_text=True)
    assert "1 Høy: risiko med sannsynlighet 4 og konsekvens 3" in matrix
    assert "1 Middels: risiko med sannsynlighet 5 og konsekvens 2" in matrix
    assert "Høy: skår 12–25." in matrix and "Høye risikoer (skår 12–25)" in overview
    assert "12 Skår tolv" in overview and "Skår ti" not in overview


def test_an_idea_has_no_status_lead(browser, cast):
    p = make_project(cast, title="En idé", stage="idea", owner="ola")
    page = text(browser("ida").get(f"/projects/{p.id}").get_data(as_text=True))
    assert "Status nå" not in page and "Om ideen" in page and "Neste beslutningspunkt" in page


def test_a_running_project_without_reports_or_budget_says_so(browser, cast):
    p = make_project(cast, title="Tomt prosjekt", stage="planning", owner="ola", manager="kari")
    page = text(browser("kari").get(f"/projects/{p.id}").get_data(as_text=True))
    assert "Ingen statusrapport er publisert ennå." in page
    assert "Budsjett Ikke lagt inn" in page and "Brukt så langt Ikke rapportert" in page
    assert "Ingen åpne risikoer med høy skår (12–25)." in page and "Ingen milepæler gjenstår." in page


def test_the_tabs_come_in_groups_and_the_open_group_lists_its_tabs(browser, cast):
    p = running(cast)
    html = browser("kari").get(f"/projects/{p.id}/risks").get_data(as_text=True)
    nav = html[html.index('<nav class="project-tabs"'):html.index("</nav>", html.index('<nav class="project-tabs"'))]
    groups = re.findall(r"<a [^>]*>([^<]+)</a>", nav[:nav.index("</ul>")])
    assert groups == ["Oversikt", "Plan", "Oppfølging", "Gevinster", "Interessenter", "IKT og personvern",
                      "Beslutninger", "Historikk"]
    assert re.search(r'aria-current="true">Oppfølging<', nav)
    second = nav[nav.index('class="project-tabs__tabs"'):]
    assert re.findall(r"<a [^>]*>([^<]+)</a>", second) == ["Status", "Endringer", "Risiko"]
    assert re.search(r'aria-current="page">Risiko<', second)
    overview = browser("kari").get(f"/projects/{p.id}").get_data(as_text=True)
    assert "project-tabs__tabs" not in overview and 'aria-current="page">Oversikt<' in overview
