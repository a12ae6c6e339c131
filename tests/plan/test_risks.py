"""The risks tab: the register sorted by score, the 5×5 matrix, the ITPOSMO assessment, and
the gate fact it feeds."""
from __future__ import annotations

import re

import pytest

from app.audit.describe import describe
from app.extensions import db
from app.gates.facts import facts_for
from app.models import Project
from app.models.risk import ItposmoAssessment, Risk
from tests.plan.core_helpers import (ACTORS, EDITORS, browser, cast, events, field_errors, fresh,  # noqa: F401
                                     hidden, make_project, post, project)


def url(p, suffix: str = "") -> str:
    return f"/projects/{getattr(p, 'id', p)}/risks{suffix}"


def risk_data(prefix: str = "new_", **overrides) -> dict:
    data = {"kind": "risk", "description": "Leverandøren leverer integrasjonen for sent",
            "probability": "4", "consequence": "5", "strategy": "reduce",
            "action": "Ukentlig oppfølging av leverandøren.", "responsible_username": "per",
            "status": "open", "probability_after": "2", "consequence_after": "4"}
    data.update(overrides)
    return {f"{prefix}{k}": v for k, v in data.items()}


def add_risk(project, **fields) -> Risk:
    values = dict(kind="risk", description="Leverandøren leverer for sent", probability=4, consequence=5,
                  strategy="reduce")
    values.update(fields)
    r = Risk(project_id=project.id, **values)
    db.session.add(r)
    db.session.commit()
    return r


def itposmo_data(**scores) -> dict:
    values = dict(information=7, technology=9, processes=9, objectives=2, staffing=5, management=3, resources=5)
    values.update(scores)
    data = {f"itposmo_{k}": str(v) for k, v in values.items()}
    data.update({f"itposmo_{k}_comment": f"Om {k}" for k in values})
    return data


# --- reading ------------------------------------------------------------------------------------------
def test_every_employee_reads_the_register_without_edit_buttons(browser, project):
    add_risk(project)
    html = browser("randi").get(url(project)).get_data(as_text=True)
    assert "Leverandøren leverer for sent" in html and "Risikomatrise" in html
    assert ">Endre<" not in html and "Legg til risiko eller mulighet" not in html and "Gjør vurderingen" not in html


def test_the_list_is_sorted_by_score_highest_first(browser, project):
    add_risk(project, description="Skår ni", probability=3, consequence=3)
    add_risk(project, description="Skår tjue", probability=5, consequence=4)
    add_risk(project, description="Skår to", probability=1, consequence=2)
    add_risk(project, description="Mulighet seksten", kind="opportunity", probability=4, consequence=4, strategy="exploit")
    html = browser("randi").get(url(project)).get_data(as_text=True).split('id="risk-rows-open"')[1]
    expected = ["Skår tjue", "Mulighet seksten", "Skår ni", "Skår to"]
    assert sorted(expected, key=html.index) == expected
    # other areas read the top risks from Project.risks, in the same order
    assert [r.description for r in fresh(Project, project.id).risks] == expected
    assert fresh(Project, project.id).risks[0].score == 20


def test_closed_risks_are_listed_apart(browser, project):
    add_risk(project, description="Lukket sak", status="closed", probability=5, consequence=5)
    add_risk(project, description="Åpen sak", probability=2, consequence=2)
    html = browser("randi").get(url(project)).get_data(as_text=True)
    closed = html.split('id="risk-rows-closed"')[1]
    assert "Lukket sak" in closed and "Åpen sak" not in closed
    assert "Lukkede (1)" in html


# --- the matrix ------------------------------------------------------------------------------------------
def matrix_html(html: str) -> str:
    return re.search(r'<table class="risk-matrix">.*?</table>', html, re.S).group(0)


def test_matrix_is_an_accessible_table_of_counts(browser, project):
    for _ in range(3):
        add_risk(project, probability=4, consequence=5)
    add_risk(project, probability=1, consequence=1)
    add_risk(project, probability=4, consequence=5, status="closed")           # closed: not counted
    add_risk(project, probability=4, consequence=5, kind="opportunity", strategy="exploit")  # not a risk
    m = matrix_html(browser("randi").get(url(project)).get_data(as_text=True))
    assert "<caption>" in m and m.count('scope="row"') == 5 and m.count('scope="col"') == 6
    link = re.search(r'<a href="([^"]+)"\s+aria-label="3 Høy: risikoer med sannsynlighet 4 og konsekvens 5">', m)
    assert link and link.group(1).endswith(f"{url(project)}?p=4&amp;c=5#risk-register-h")
    assert 'aria-label="1 Lav: risiko med sannsynlighet 1 og konsekvens 1"' in m
    # the count is always text, and so is the level: never colour alone
    assert re.search(r'risk-cell--high risk-cell--filled">\s*<a[^>]*>\s*<span class="risk-cell__count">3</span>\s*'
                     r'<span class="risk-cell__level" aria-hidden="true">Høy</span>', m)
    assert m.count("<a ") == 2  # only cells with risks are links (fewer tab stops)
    assert "Ingen risikoer med sannsynlighet 5 og konsekvens 5" in m


def test_a_cell_link_lists_its_risks(browser, project):
    add_risk(project, description="Fire-fem", probability=4, consequence=5)
    add_risk(project, description="Tre-tre", probability=3, consequence=3)
    html = browser("randi").get(url(project, "?p=4&c=5")).get_data(as_text=True)
    register = html.split('id="risk-register-h"')[1].split('id="itposmo"')[0]
    assert "Fire-fem" in register and "Tre-tre" not in register
    assert "Åpne risikoer med sannsynlighet 4 og konsekvens 5" in html and "Vis alle risikoer og muligheter" in html
    assert 'aria-current="true"' in matrix_html(html)


@pytest.mark.parametrize("query", ["?p=9&c=1", "?p=x&c=%00", "?p=4", "?c=5&p=", "?p=-1&c=5"])
def test_odd_filters_are_ignored_not_errors(browser, project, query):
    add_risk(project, description="Synlig")
    response = browser("randi").get(url(project, query))
    assert response.status_code == 200 and "Synlig" in response.get_data(as_text=True)


# --- adding ------------------------------------------------------------------------------------------------
def test_add_a_risk_without_javascript(browser, project):
    response = post(browser("kari"), url(project), risk_data(), page=url(project))
    assert response.status_code == 303
    r = db.session.scalars(db.select(Risk)).one()
    assert response.headers["Location"].endswith(f"#risk-{r.id}")
    assert (r.probability, r.consequence, r.score, r.score_after) == (4, 5, 20, 8)
    assert (r.strategy, r.status, r.responsible.username) == ("reduce", "open", "per")
    [event] = events(project.id, "risk.created")
    assert describe(event) == ("Kari Nordmann la til risikoen «Leverandøren leverer integrasjonen for sent» "
                               "(sannsynlighet 4, konsekvens 5, skår 20).")


def test_add_with_htmx_inserts_the_row_and_updates_the_matrix(browser, project):
    response = post(browser("kari", htmx=True), url(project), risk_data(), page=url(project))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="new-risk"')
    assert 'hx-swap-oob="afterbegin:#risk-rows-open"' in html and "<template>" in html
    assert 'id="risk-matrix"' in html and 'aria-label="1 Høy: risiko med sannsynlighet 4 og konsekvens 5"' in html


def test_an_opportunity_takes_opportunity_strategies(browser, project):
    response = post(browser("kari"), url(project), risk_data(kind="opportunity", strategy="avoid"), page=url(project))
    assert response.status_code == 422
    assert field_errors(response) == ["«Unngå» passer ikke for en mulighet. Velg utnytte, forsterke, overvåke, akseptere."]
    response = post(browser("kari"), url(project), risk_data(kind="opportunity", strategy="exploit"), page=url(project))
    assert response.status_code == 303
    [event] = events(project.id, "risk.created")
    assert describe(event).startswith("Kari Nordmann la til muligheten «")


def test_validation_messages_are_norwegian_and_keep_what_was_typed(browser, project):
    response = post(browser("kari"), url(project),
                    risk_data(kind="", description=" ", probability="7", consequence="", strategy="hack",
                              status="maybe", probability_after="3", consequence_after="",
                              action="Mitt tiltak", responsible_username="ukjent"), page=url(project))
    assert response.status_code == 422
    errors = field_errors(response)
    for message in ("Velg om det er en risiko eller en mulighet.", "Beskriv risikoen eller muligheten.",
                    "Velg sannsynlighet fra 1 til 5.", "Velg konsekvens fra 1 til 5.", "Velg en strategi fra listen.",
                    "Velg åpen eller lukket.",
                    "Fyll ut både sannsynlighet og konsekvens etter tiltak, eller ingen av dem."):
        assert message in errors
    assert any("Fant ikke «ukjent» i brukerkatalogen" in e for e in errors)
    html = response.get_data(as_text=True)
    assert "Mitt tiltak</textarea>" in html and 'value="ukjent"' in html
    assert '<option selected value="3">' in html  # probability after, as chosen
    assert db.session.scalar(db.select(db.func.count(Risk.id))) == 0


def test_nul_characters_and_huge_numbers_are_not_server_errors(browser, project):
    response = post(browser("kari"), url(project, "/itposmo"),
                    {**itposmo_data(technology="99999999999999999999999"), "itposmo_information_comment": "x\x00",
                     "itposmo_version": "0"}, page=url(project))
    assert response.status_code == 422 and field_errors(response) == ["Gi en skår fra 0 til 10."]
    response = post(browser("kari"), url(project), risk_data(description="Ris\x00iko", probability="4\x00"),
                    page=url(project))
    assert response.status_code == 303
    r = db.session.scalars(db.select(Risk)).one()
    assert (r.description, r.probability) == ("Risiko", 4)


@pytest.mark.parametrize("who", sorted(ACTORS))
def test_who_may_add_a_risk(browser, project, who):
    response = post(browser(ACTORS[who]), url(project), risk_data(), page=url(project))
    assert response.status_code == (303 if who in EDITORS else 403)
    assert db.session.scalar(db.select(db.func.count(Risk.id))) == (1 if who in EDITORS else 0)


def test_post_without_csrf_token_is_refused(browser, project):
    assert browser("kari").post(url(project), data=risk_data()).status_code == 400
    assert db.session.scalar(db.select(db.func.count(Risk.id))) == 0


# --- editing -------------------------------------------------------------------------------------------------
def test_edit_a_risk_and_the_history_says_what_changed(browser, project):
    r = add_risk(project)
    client = browser("kari")
    html = client.get(url(project, f"/{r.id}/edit")).get_data(as_text=True)
    assert hidden(html, f"r{r.id}_version") == "1"
    assert f'<option selected value="4">' in html  # the stored probability is chosen
    response = post(client, url(project, f"/{r.id}"),
                    risk_data(f"r{r.id}_", probability="2", status="closed", version="1"), page=url(project))
    assert response.status_code == 303
    r = fresh(Risk, r.id)
    assert (r.probability, r.score, r.status) == (2, 10, "closed")
    [event] = events(project.id, "risk.updated")
    text = describe(event)
    assert text.startswith("Kari Nordmann endret risikoen «Leverandøren leverer integrasjonen for sent».")
    assert "sannsynlighet fra 4 til 2" in text and "status fra åpen til lukket" in text


def test_edit_with_htmx_swaps_the_row_and_the_matrix(browser, project):
    r = add_risk(project)
    client = browser("kari", htmx=True)
    form = client.get(url(project, f"/{r.id}/edit")).get_data(as_text=True)
    assert form.lstrip().startswith(f'<tr id="risk-{r.id}"') and 'colspan="8"' in form
    response = post(client, url(project, f"/{r.id}"), risk_data(f"r{r.id}_", consequence="1", consequence_after="1",
                                                                  version="1"),
                    page=url(project))
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f'<tr id="risk-{r.id}"') and "Endringene er lagret." in html
    assert 'id="risk-matrix" class="card risk-matrix-card"' in html and 'hx-swap-oob="true"' in html


def test_second_save_of_the_same_version_is_refused(browser, project):
    r = add_risk(project)
    kari, ola = browser("kari"), browser("ola")
    for client in (kari, ola):
        assert hidden(client.get(url(project, f"/{r.id}/edit")).get_data(as_text=True), f"r{r.id}_version") == "1"
    assert post(kari, url(project, f"/{r.id}"), risk_data(f"r{r.id}_", probability="5", version="1"),
                page=url(project)).status_code == 303
    second = post(ola, url(project, f"/{r.id}"),
                  risk_data(f"r{r.id}_", probability="1", action="Olas tiltak", version="1"), page=url(project))
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "Noen andre har endret dette mens du skrev." in html
    assert "<dt>Sannsynlighet</dt><dd class=\"prewrap\">5</dd>" in html
    assert "Olas tiltak</textarea>" in html and hidden(html, f"r{r.id}_version") == "2"
    assert fresh(Risk, r.id).probability == 5


def test_editing_a_risk_of_another_project_is_404(browser, project, cast):
    other = make_project(cast, stage="planning", manager="kari")
    r = add_risk(other)
    assert browser("kari").get(url(project, f"/{r.id}/edit")).status_code == 404
    assert post(browser("kari"), url(project, f"/{r.id}/delete"), {}, page=url(project)).status_code == 404


# --- deleting -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", sorted(ACTORS))
def test_who_may_delete_a_risk(browser, project, who):
    r = add_risk(project)
    response = post(browser(ACTORS[who]), url(project, f"/{r.id}/delete"), {}, page=url(project))
    assert response.status_code == (303 if who in EDITORS else 403)
    assert (fresh(Risk, r.id) is None) == (who in EDITORS)


def test_delete_asks_first_and_is_audited(browser, project):
    r = add_risk(project)
    assert 'hx-confirm="Slette «Leverandøren leverer for sent»? Dette kan ikke angres."' in \
        browser("kari").get(url(project)).get_data(as_text=True)
    response = post(browser("kari", htmx=True), url(project, f"/{r.id}/delete"), {}, page=url(project))
    assert response.status_code == 200 and f'id="risk-{r.id}"' not in response.get_data(as_text=True)
    [event] = events(project.id, "risk.deleted")
    assert describe(event) == "Kari Nordmann slettet risikoen «Leverandøren leverer for sent»."


# --- ITPOSMO ----------------------------------------------------------------------------------------------------
def test_itposmo_first_save_and_heeks_warning(browser, project):
    client = browser("kari")
    html = client.get(url(project, "/itposmo/edit")).get_data(as_text=True)
    assert hidden(html, "itposmo_version") == "0"
    response = post(client, url(project, "/itposmo"), {**itposmo_data(), "itposmo_version": "0"}, page=url(project))
    assert response.status_code == 303
    a = db.session.scalars(db.select(ItposmoAssessment)).one()
    assert (a.total, a.technology, a.technology_comment) == (40, 9, "Om technology")
    html = browser("randi").get(url(project)).get_data(as_text=True)
    assert "Stort gap – risikoreduserende tiltak trengs" in html
    assert "Summen er 40 av 70, over Heeks' grense på 20." in html
    assert "Disse dimensjonene ligger over 5: Informasjon (7), Teknologi (9) og Prosesser (9)." in html
    assert "<strong>40</strong> av 70" in html
    [event] = events(project.id, "itposmo.saved")
    assert describe(event) == "Kari Nordmann oppdaterte ITPOSMO-vurderingen: sum 40 av 70."


@pytest.mark.parametrize("scores, warned, named", [
    (dict(information=3, technology=3, processes=3, objectives=3, staffing=3, management=3, resources=2), False, ""),
    (dict(information=6, technology=0, processes=0, objectives=0, staffing=0, management=0, resources=0), True,
     "tiltak på Informasjon,"),
    (dict(information=4, technology=4, processes=4, objectives=3, staffing=3, management=2, resources=1), True,
     "tiltak på Informasjon, Teknologi og Prosesser,"),
])
def test_heeks_rule(browser, project, scores, warned, named):
    post(browser("kari"), url(project, "/itposmo"), {**itposmo_data(**scores), "itposmo_version": "0"},
         page=url(project))
    html = browser("randi").get(url(project)).get_data(as_text=True)
    assert ("Stort gap" in html) is warned
    assert named in html
    if not warned:
        assert "Gapet er innenfor Heeks' tommelfingerregel." in html


def test_itposmo_validation_keeps_what_was_typed(browser, project):
    response = post(browser("kari"), url(project, "/itposmo"),
                    {**itposmo_data(technology="11", processes="mye", staffing=""), "itposmo_version": "0"},
                    page=url(project))
    assert response.status_code == 422
    assert field_errors(response) == ["Gi en skår fra 0 til 10."] * 3
    html = response.get_data(as_text=True)
    assert 'value="mye"' in html and 'value="11"' in html and "Om information</textarea>" in html
    assert db.session.scalar(db.select(db.func.count(ItposmoAssessment.id))) == 0


def test_itposmo_conflict(browser, project):
    post(browser("kari"), url(project, "/itposmo"), {**itposmo_data(), "itposmo_version": "0"}, page=url(project))
    ola, kari = browser("ola"), browser("kari")
    for client in (ola, kari):
        assert hidden(client.get(url(project, "/itposmo/edit")).get_data(as_text=True), "itposmo_version") == "1"
    assert post(kari, url(project, "/itposmo"), {**itposmo_data(technology=4), "itposmo_version": "1"},
                page=url(project)).status_code == 303
    second = post(ola, url(project, "/itposmo"), {**itposmo_data(technology=10), "itposmo_version": "1"},
                  page=url(project))
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "<dt>Teknologi</dt><dd class=\"prewrap\">4 – Om technology</dd>" in html and 'value="10"' in html
    assert db.session.scalars(db.select(ItposmoAssessment)).one().technology == 4


def test_two_first_assessments_at_once_do_not_both_win(browser, project):
    post(browser("kari"), url(project, "/itposmo"), {**itposmo_data(), "itposmo_version": "0"}, page=url(project))
    response = post(browser("ola"), url(project, "/itposmo"), {**itposmo_data(), "itposmo_version": "0"},
                    page=url(project))
    assert response.status_code == 409
    assert db.session.scalar(db.select(db.func.count(ItposmoAssessment.id))) == 1


@pytest.mark.parametrize("who", sorted(ACTORS))
def test_who_may_assess_itposmo(browser, project, who):
    response = post(browser(ACTORS[who]), url(project, "/itposmo"), {**itposmo_data(), "itposmo_version": "0"},
                    page=url(project))
    assert response.status_code == (303 if who in EDITORS else 403)


def test_itposmo_with_htmx_is_a_component(browser, project):
    client = browser("kari", htmx=True)
    html = client.get(url(project, "/itposmo/edit")).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="itposmo"') and 'name="itposmo_technology"' in html
    response = post(client, url(project, "/itposmo"), {**itposmo_data(), "itposmo_version": "0"}, page=url(project))
    assert response.status_code == 200 and "ITPOSMO-vurderingen er lagret." in response.get_data(as_text=True)


# --- the gate fact ---------------------------------------------------------------------------------------------
def test_assessed_risk_count(project):
    assert facts_for(fresh(Project, project.id)).assessed_risk_count == 0
    add_risk(project, strategy="")                                  # no strategy yet: not assessed
    add_risk(project, kind="opportunity", strategy="exploit")      # an opportunity is not a risk
    assert facts_for(fresh(Project, project.id)).assessed_risk_count == 0
    add_risk(project, strategy="monitor")
    add_risk(project, strategy="accept", status="closed")          # closed, but it was assessed
    assert facts_for(fresh(Project, project.id)).assessed_risk_count == 2


def test_bp3_risk_item_follows_the_register(browser, project):
    from app.gates.services import answers_for, checklist_for
    from app.workflow import Gate

    def state():
        p = fresh(Project, project.id)
        return {e.item.key: e.state.value for e in checklist_for(p, Gate.BP3, answers_for(p, Gate.BP3)).items}

    assert state()["risk_analysis_done"] == "failed"
    post(browser("kari"), url(project), risk_data(), page=url(project))
    assert state()["risk_analysis_done"] == "ok"
