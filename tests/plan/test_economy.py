"""The economy tab: the budget per year in investment and running costs, the financing
with grants, and planned against spent; the steering group and the sluttrapport's
sections on the plan tab."""
from __future__ import annotations

import pytest

from app.audit.describe import describe
from app.extensions import db
from app.models import ProjectPlan
from app.models.economy import BudgetLine, FundingSource
from app.models.status_report import StatusReport
from app.models.base import utcnow
from tests.plan.core_helpers import (ACTORS, EDITORS, browser, cast, events, field_errors, hidden,  # noqa: F401
                                     make_project, post, project)


def economy_url(project) -> str:
    return f"/projects/{project.id}/economy"


def add_line(client, project, year="2026", investment="800 000", operating="50 000", note=""):
    return post(client, f"{economy_url(project)}/lines",
                {"line_year": year, "line_investment_nok": investment, "line_operating_nok": operating,
                 "line_note": note}, page=economy_url(project))


def lines(project_id) -> list[tuple[int, int, int]]:
    db.session.expire_all()
    return [(x.year, x.investment_nok, x.operating_nok) for x in db.session.scalars(
        db.select(BudgetLine).where(BudgetLine.project_id == project_id).order_by(BudgetLine.year))]


def budget_total(project_id):
    db.session.expire_all()
    return db.session.scalar(db.select(ProjectPlan.budget_nok).where(ProjectPlan.project_id == project_id))


def test_the_budget_per_year_adds_up_and_is_audited(browser, project):
    kari = browser("kari")
    assert add_line(kari, project).status_code == 303
    assert add_line(kari, project, "2027", "200 000", "120 000", "Lisenser").status_code == 303
    assert lines(project.id) == [(2026, 800_000, 50_000), (2027, 200_000, 120_000)]
    # The plan's total (what the portfolio lists) is the sum of the years.
    assert budget_total(project.id) == 1_170_000
    html = kari.get(economy_url(project)).get_data(as_text=True)
    assert "1\u00a0000\u00a0000\u00a0kr" in html and "170\u00a0000\u00a0kr" in html and "1\u00a0170\u00a0000\u00a0kr" in html
    [first, _second] = events(project.id, "economy.line_added")
    assert describe(first) == "Kari Nordmann la inn budsjettet for 2026: investering 800\u00a0000\u00a0kr, drift 50\u00a0000\u00a0kr."

    line = db.session.scalar(db.select(BudgetLine).where(BudgetLine.year == 2027))
    r = post(kari, f"{economy_url(project)}/lines/{line.id}/delete", {}, page=economy_url(project))
    assert r.status_code == 303 and budget_total(project.id) == 850_000
    assert describe(events(project.id, "economy.line_deleted")[0]) == "Kari Nordmann slettet budsjettet for 2027."


@pytest.mark.parametrize("typed, kroner", [
    ("1200000", 1_200_000), ("1 200 000", 1_200_000), ("1.200.000", 1_200_000), ("kr 450 000,-", 450_000),
    ("1,8 mill", 1_800_000), ("2 millioner", 2_000_000),
])
def test_amounts_are_read_as_people_write_them(browser, project, typed, kroner):
    assert add_line(browser("kari"), project, investment=typed, operating="").status_code == 303
    assert lines(project.id) == [(2026, kroner, 0)]


@pytest.mark.parametrize("year, investment, operating, message", [
    ("tjuesjuogtjue", "1000", "", "Skriv året med fire sifre, for eksempel 2026."),
    ("1890", "1000", "", "Skriv et år mellom 2000 og 2100."),
    ("", "1000", "", "Skriv budsjettåret, for eksempel 2026."),
    ("2026", "", "0", "Fyll inn investering, drift eller begge."),
    ("2026", "mye", "", "Skriv et helt beløp i kroner, for eksempel 1 200 000."),
    ("2026", "-5000", "", "Beløpet kan ikke være negativt."),
    ("2026", "9" * 40, "", "Beløpet er for stort. Skriv beløpet i hele kroner."),
])
def test_bad_input_is_refused_in_norwegian_with_what_was_typed_kept(browser, project, year, investment,
                                                                     operating, message):
    r = add_line(browser("kari"), project, year, investment, operating, note="Notat som skal bli stående")
    assert r.status_code == 422
    assert message in field_errors(r)
    html = r.get_data(as_text=True)
    assert "Notat som skal bli stående" in html and f'value="{investment}"' in html
    assert lines(project.id) == []


def test_a_year_is_budgeted_once(browser, project):
    add_line(browser("kari"), project)
    r = add_line(browser("kari"), project, investment="5")
    assert r.status_code == 422
    assert "Det finnes allerede et budsjett for 2026. Endre det i stedet." in field_errors(r)


def test_a_stale_edit_gets_409_with_the_stored_values_and_the_typed_ones_kept(browser, project):
    add_line(browser("kari"), project)
    line_id = db.session.scalar(db.select(BudgetLine.id))
    page = f"{economy_url(project)}?edit_line={line_id}"
    kari_version = hidden(browser("kari").get(page).get_data(as_text=True), "edit_line_version")
    r = post(browser("ola"), f"{economy_url(project)}/lines/{line_id}",
             {"edit_line_year": "2026", "edit_line_investment_nok": "900 000", "edit_line_operating_nok": "50 000",
              "edit_line_note": "", "edit_line_version": hidden(browser("ola").get(page).get_data(as_text=True),
                                                                "edit_line_version")}, page=page)
    assert r.status_code == 303
    r = post(browser("kari"), f"{economy_url(project)}/lines/{line_id}",
             {"edit_line_year": "2026", "edit_line_investment_nok": "750 000", "edit_line_operating_nok": "50 000",
              "edit_line_note": "Kari sitt tall", "edit_line_version": kari_version}, page=page)
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "Noen andre har endret dette mens du skrev." in html
    assert "investering 900\u00a0000\u00a0kr" in html and "Kari sitt tall" in html and 'value="750 000"' in html
    assert lines(project.id) == [(2026, 900_000, 50_000)]


def test_financing_with_grants_and_planned_against_spent(browser, project, cast):
    kari = browser("kari")
    add_line(kari, project, investment="1 000 000", operating="0")
    r = post(kari, f"{economy_url(project)}/sources",
             {"source_source": "Statsforvalterens skjønnsmidler", "source_kind": "grant",
              "source_amount_nok": "300 000", "source_status": "applied"}, page=economy_url(project))
    assert r.status_code == 303
    assert post(kari, f"{economy_url(project)}/sources", {"source_source": "", "source_kind": "own",
                                                         "source_status": "planned"},
                page=economy_url(project)).status_code == 422
    [row] = db.session.scalars(db.select(FundingSource)).all()
    assert (row.kind, row.amount_nok, row.status) == ("grant", 300_000, "applied")
    assert describe(events(project.id, "economy.source_added")[0]) == (
        "Kari Nordmann la til finansieringen «Statsforvalterens skjønnsmidler» (tilskudd, 300\u00a0000\u00a0kr, søkt).")
    db.session.add(StatusReport(project_id=project.id, period_label="Mars 2026", author=cast["kari"],
                                status="published", published_at=utcnow(), spent_to_date_nok=400_000))
    db.session.commit()
    html = kari.get(economy_url(project)).get_data(as_text=True)
    assert "herav tilskudd 300\u00a0000\u00a0kr" in html
    assert "400\u00a0000\u00a0kr (40 %)" in html and "ifølge statusrapporten for Mars 2026" in html
    portfolio = browser("lise").get("/portfolio").get_data(as_text=True)
    assert "forbrukt 400\u00a0000\u00a0kr (40 %)" in portfolio


@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_may_keep_the_economy(browser, project, actor):
    r = add_line(browser(ACTORS[actor]), project)
    assert r.status_code == (303 if actor in EDITORS else 403)
    assert len(lines(project.id)) == (1 if actor in EDITORS else 0)


def test_the_steering_group_is_chaired_by_the_owner_and_has_several_members(browser, project):
    kari = browser("kari")
    roles_url = f"/projects/{project.id}/roles"
    for name in ("randi", "lise"):
        r = post(kari, f"{roles_url}/steering_group/members", {"steering_group_username": name}, page=roles_url)
        assert r.status_code == 303, field_errors(r)
    html = kari.get(roles_url).get_data(as_text=True)
    assert "Styringsgruppe" in html and "Leder:" in html and "Ola Nordmann" in html
    assert "Randi Strand" in html and "Lise Johansen" in html
    assert describe(events(project.id, "roles.member_added")[0]) == \
        "Kari Nordmann la til Randi Strand som medlem av styringsgruppen."


def test_the_sluttrapport_is_written_on_the_plan_tab_in_the_handover_stage(browser, cast):
    p = make_project(cast, stage="handover", manager="kari")
    url = f"/projects/{p.id}/plan/sections/closing"
    data = {"version": "0", "goals_reached": "Alle resultatmål er nådd.",
            "lessons_learned": "Bestill testmiljø tidlig.", "handover": "Enhetsleder overtar driften."}
    assert post(browser("kari"), url, data, page=f"/projects/{p.id}/plan").status_code == 303
    [event] = events(p.id, "plan.section_saved")
    assert describe(event) == ("Kari Nordmann endret «Sluttrapport» i planen (måloppnåelse, erfaringer, "
                               "overlevering til linjen).")
    # Ola saves from the page he loaded before Kari's save: 409, his text kept.
    r = post(browser("ola"), url, {**data, "lessons_learned": "Olas erfaring."}, page=f"/projects/{p.id}/plan")
    assert r.status_code == 409 and "Olas erfaring." in r.get_data(as_text=True)
    html = browser("kari").get(f"/projects/{p.id}/plan/sluttrapport").get_data(as_text=True)
    assert "Bestill testmiljø tidlig." in html and "Enhetsleder overtar driften." in html
