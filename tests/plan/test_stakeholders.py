"""The stakeholders tab: the stakeholder analysis with its interest × influence grid, the
communication plan, who may edit (the kommunikasjonsansvarlig too) and the gate fact."""
from __future__ import annotations

import re
from datetime import date

import pytest

from app.audit.describe import describe
from app.extensions import db
from app.gates.facts import facts_for
from app.models import Project, ProjectMember
from app.models.stakeholder import CommunicationActivity, Stakeholder
from tests.plan.core_helpers import (ACTORS, browser, cast, events, field_errors, fresh,  # noqa: F401
                                     hidden, make_project, post)
from tests.support.factories import make_user

#: the shared cast plus a kommunikasjonsansvarlig
STAKEHOLDER_ACTORS = {**ACTORS, "communications": "tor"}
#: who may edit this tab
EDITORS = {"owner", "manager", "admin", "communications"}


@pytest.fixture()
def people(cast):
    return {**cast, "tor": make_user("tor", display_name="Tor Eriksen", unit="Kommunikasjon")}


@pytest.fixture()
def project(people):
    """A project in planning: Ola owns it, Kari leads it, Tor is kommunikasjonsansvarlig."""
    p = make_project(people, title="Digital tilsynslogg", stage="planning", owner="ola", manager="kari")
    db.session.add(ProjectMember(project_id=p.id, user_id=people["tor"].id, role="communications"))
    db.session.add(ProjectMember(project_id=p.id, user_id=people["nils"].id, role="member"))
    db.session.commit()
    return p


@pytest.fixture()
def as_(app, people):
    """`as_("kari")` or `as_("kari", htmx=True)`: a browser of its own, signed in."""
    from tests.plan.core_helpers import signed_in_clients

    return signed_in_clients(app, people)


def url(p, suffix: str = "") -> str:
    return f"/projects/{getattr(p, 'id', p)}/stakeholders{suffix}"


def s_data(prefix: str = "news_", **overrides) -> dict:
    data = {"name": "Fagforbundet", "interest": "3", "influence": "2", "notes": "Faste møter med tillitsvalgte."}
    data.update(overrides)
    return {f"{prefix}{k}": v for k, v in data.items()}


def a_data(prefix: str = "newa_", **overrides) -> dict:
    data = {"what": "Informasjonsmøte om nettbrett", "audience": "Fagforbundet", "channel": "meeting",
            "planned_on": "2026-09-10", "responsible_username": "tor", "status": "planned"}
    data.update(overrides)
    return {f"{prefix}{k}": v for k, v in data.items()}


def add_stakeholder(project, **fields) -> Stakeholder:
    values = dict(name="Fagforbundet", interest=3, influence=2, notes="")
    values.update(fields)
    s = Stakeholder(project_id=project.id, **values)
    db.session.add(s)
    db.session.commit()
    return s


def add_activity(project, **fields) -> CommunicationActivity:
    values = dict(what="Sak på intranett", audience="Alle ansatte", channel="intranet", planned_on=date(2026, 4, 15))
    values.update(fields)
    a = CommunicationActivity(project_id=project.id, **values)
    db.session.add(a)
    db.session.commit()
    return a


# --- reading --------------------------------------------------------------------------------------------
def test_every_employee_reads_the_tab_without_edit_buttons(as_, project):
    add_stakeholder(project)
    add_activity(project)
    html = as_("randi").get(url(project)).get_data(as_text=True)
    assert "Fagforbundet" in html and "Sak på intranett" in html
    assert ">Endre<" not in html and "Legg til interessenten" not in html and "Legg til aktiviteten" not in html


def test_the_grid_is_a_text_table_of_interest_and_influence(as_, project):
    add_stakeholder(project, name="Kommunestyret", interest=1, influence=3)
    add_stakeholder(project, name="Tillitsvalgte", interest=3, influence=3)
    add_stakeholder(project, name="Brukere", interest=2, influence=1)
    html = as_("randi").get(url(project)).get_data(as_text=True)
    grid = re.search(r'<table class="stakeholder-grid__table">.*?</table>', html, re.S).group(0)
    assert "<caption>" in grid and grid.count('scope="row"') == 3
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(\w+)</th>(.*?)</tr>", grid, re.S)
    assert [r[0] for r in rows] == ["Høy", "Middels", "Lav"]
    high = re.findall(r"<td.*?</td>", rows[0][1], re.S)  # influence high: interest low, middle, high
    assert "Kommunestyret" in high[0] and "Hold fornøyd" in high[0]
    assert "Tillitsvalgte" in high[2] and "Involver tett" in high[2]
    assert "Brukere" in re.findall(r"<td.*?</td>", rows[2][1], re.S)[1]
    # the names feed the "to whom" suggestions
    assert '<datalist id="stakeholder-names"><option value="Brukere"></option>' in html


# --- stakeholders ------------------------------------------------------------------------------------------
def test_add_a_stakeholder_without_javascript(as_, project):
    response = post(as_("tor"), url(project), s_data(), page=url(project))
    assert response.status_code == 303
    s = db.session.scalars(db.select(Stakeholder)).one()
    assert (s.name, s.interest, s.influence, s.notes) == ("Fagforbundet", 3, 2, "Faste møter med tillitsvalgte.")
    assert response.headers["Location"].endswith(f"#stakeholder-{s.id}")
    [event] = events(project.id, "stakeholder.created")
    assert describe(event) == "Tor Eriksen la til interessenten «Fagforbundet» (interesse høy, påvirkning middels)."


def test_add_a_stakeholder_with_htmx(as_, project):
    response = post(as_("kari", htmx=True), url(project), s_data(), page=url(project))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="new-stakeholder"')
    assert 'hx-swap-oob="beforeend:#stakeholder-rows"' in html and "Interessenten er lagt til." in html
    assert 'id="stakeholder-grid"' in html and '<option value="Fagforbundet">' in html


def test_stakeholder_validation(as_, project):
    response = post(as_("kari"), url(project), s_data(name=" ", interest="", influence="9", notes="Mine notater"),
                    page=url(project))
    assert response.status_code == 422
    assert field_errors(response) == ["Skriv hvem interessenten er.", "Velg høy, middels eller lav interesse.",
                                      "Velg høy, middels eller lav påvirkning."]
    assert "Mine notater</textarea>" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", sorted(STAKEHOLDER_ACTORS))
def test_who_may_add_a_stakeholder(as_, project, who):
    response = post(as_(STAKEHOLDER_ACTORS[who]), url(project), s_data(), page=url(project))
    assert response.status_code == (303 if who in EDITORS else 403)


@pytest.mark.parametrize("who", sorted(STAKEHOLDER_ACTORS))
def test_who_may_delete_a_stakeholder(as_, project, who):
    s = add_stakeholder(project)
    response = post(as_(STAKEHOLDER_ACTORS[who]), url(project, f"/{s.id}/delete"), {}, page=url(project))
    assert response.status_code == (303 if who in EDITORS else 403)
    assert (fresh(Stakeholder, s.id) is None) == (who in EDITORS)


def test_edit_a_stakeholder(as_, project):
    s = add_stakeholder(project)
    client = as_("tor")
    assert hidden(client.get(url(project, f"/{s.id}/edit")).get_data(as_text=True), f"s{s.id}_version") == "1"
    response = post(client, url(project, f"/{s.id}"), s_data(f"s{s.id}_", influence="3", notes="", version="1"),
                    page=url(project))
    assert response.status_code == 303
    assert fresh(Stakeholder, s.id).influence == 3
    [event] = events(project.id, "stakeholder.updated")
    assert describe(event) == "Tor Eriksen endret interessenten «Fagforbundet». Endret: påvirkning fra middels til høy."


def test_stakeholder_conflict(as_, project):
    s = add_stakeholder(project)
    tor, kari = as_("tor"), as_("kari")
    for client in (tor, kari):
        assert hidden(client.get(url(project, f"/{s.id}/edit")).get_data(as_text=True), f"s{s.id}_version") == "1"
    assert post(tor, url(project, f"/{s.id}"), s_data(f"s{s.id}_", name="Fagforbundet Askøy", version="1"),
                page=url(project)).status_code == 303
    second = post(kari, url(project, f"/{s.id}"), s_data(f"s{s.id}_", name="Tillitsvalgte", version="1"),
                  page=url(project))
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "<dt>Interessent</dt><dd class=\"prewrap\">Fagforbundet Askøy</dd>" in html
    assert 'value="Tillitsvalgte"' in html and hidden(html, f"s{s.id}_version") == "2"
    assert fresh(Stakeholder, s.id).name == "Fagforbundet Askøy"


def test_deleting_a_stakeholder_keeps_the_activities_addressed_to_them(as_, project):
    s = add_stakeholder(project, name="Fagforbundet")
    a = add_activity(project, audience="fagforbundet", stakeholder_id=s.id)
    html = as_("kari").get(url(project)).get_data(as_text=True)
    assert 'hx-confirm="Slette interessenten «Fagforbundet»?"' in html
    response = post(as_("kari", htmx=True), url(project, f"/{s.id}/delete"), {}, page=url(project))
    assert response.status_code == 200 and 'id="stakeholder-grid"' in response.get_data(as_text=True)
    a = fresh(CommunicationActivity, a.id)
    assert a.stakeholder_id is None and a.audience_label == "Fagforbundet"
    [event] = events(project.id, "stakeholder.deleted")
    assert describe(event) == "Kari Nordmann slettet interessenten «Fagforbundet»."


# --- the communication plan ----------------------------------------------------------------------------------
def test_add_an_activity_linked_to_a_stakeholder(as_, project):
    s = add_stakeholder(project, name="Fagforbundet")
    response = post(as_("tor"), url(project, "/activities"), a_data(audience="  fagforbundet "), page=url(project))
    assert response.status_code == 303
    a = db.session.scalars(db.select(CommunicationActivity)).one()
    assert (a.stakeholder_id, a.channel, a.planned_on, a.responsible.username, a.status) == (
        s.id, "meeting", date(2026, 9, 10), "tor", "planned")
    assert response.headers["Location"].endswith(f"#activity-{a.id}")
    [event] = events(project.id, "communication.created")
    assert describe(event) == ("Tor Eriksen la til «Informasjonsmøte om nettbrett» (møte til Fagforbundet, "
                               "10. sep. 2026) i kommunikasjonsplanen.")
    # renaming the stakeholder renames the audience
    fresh(Stakeholder, s.id).name = "Fagforbundet Askøy"
    db.session.commit()
    assert ">Fagforbundet Askøy</a>" in as_("randi").get(url(project)).get_data(as_text=True)


def test_an_activity_to_anyone_else_is_free_text(as_, project):
    response = post(as_("kari"), url(project, "/activities"), a_data(audience="Politisk utvalg"), page=url(project))
    assert response.status_code == 303
    a = db.session.scalars(db.select(CommunicationActivity)).one()
    assert (a.stakeholder_id, a.audience_label) == (None, "Politisk utvalg")


def test_the_plan_is_in_date_order(as_, project):
    add_activity(project, what="Tredje", planned_on=date(2026, 10, 1))
    add_activity(project, what="Første", planned_on=date(2026, 3, 4))
    add_activity(project, what="Andre", planned_on=date(2026, 6, 5))
    html = as_("randi").get(url(project)).get_data(as_text=True).split('id="activity-rows"')[1]
    assert sorted(["Første", "Andre", "Tredje"], key=html.index) == ["Første", "Andre", "Tredje"]


def test_activity_validation(as_, project):
    response = post(as_("kari"), url(project, "/activities"),
                    a_data(what="", audience="", channel="brevdue", planned_on="neste uke", status="kanskje",
                           responsible_username="ukjent"), page=url(project))
    assert response.status_code == 422
    errors = field_errors(response)
    for message in ("Skriv hva som skal kommuniseres.", "Skriv hvem det er til.", "Velg en kanal.",
                    "Skriv datoen som dd.mm.åååå, for eksempel 01.03.2025.",
                    "Velg planlagt, gjennomført eller avlyst."):
        assert message in errors
    assert any("Fant ikke «ukjent»" in e for e in errors)
    assert 'value="neste uke"' in response.get_data(as_text=True)
    response = post(as_("kari"), url(project, "/activities"), a_data(planned_on=""), page=url(project))
    assert field_errors(response) == ["Skriv når det skal skje."]


def test_nul_characters_never_reach_the_database(as_, project):
    assert post(as_("kari"), url(project), s_data(name="Fag\x00forbundet"), page=url(project)).status_code == 303
    assert post(as_("kari"), url(project, "/activities"), a_data(what="Møte\x00", audience="Fagforbundet\x00"),
                page=url(project)).status_code == 303
    a = db.session.scalars(db.select(CommunicationActivity)).one()
    assert (a.what, a.audience_label) == ("Møte", "Fagforbundet") and a.stakeholder is not None


def test_the_kommunikasjonsansvarlig_is_suggested_as_responsible(as_, project):
    html = as_("kari").get(url(project)).get_data(as_text=True)
    assert re.search(r'name="newa_responsible_username-username"[^>]*value="tor"', html)


@pytest.mark.parametrize("who", sorted(STAKEHOLDER_ACTORS))
def test_who_may_plan_communication(as_, project, who):
    response = post(as_(STAKEHOLDER_ACTORS[who]), url(project, "/activities"), a_data(), page=url(project))
    assert response.status_code == (303 if who in EDITORS else 403)


@pytest.mark.parametrize("who", sorted(STAKEHOLDER_ACTORS))
def test_who_may_delete_an_activity(as_, project, who):
    a = add_activity(project)
    response = post(as_(STAKEHOLDER_ACTORS[who]), url(project, f"/activities/{a.id}/delete"), {}, page=url(project))
    assert response.status_code == (303 if who in EDITORS else 403)
    if who in EDITORS:
        [event] = events(project.id, "communication.deleted")
        assert describe(event).endswith("slettet «Sak på intranett» fra kommunikasjonsplanen.")


def test_edit_an_activity_with_htmx_and_a_conflict(as_, project):
    a = add_activity(project)
    tor, kari = as_("tor", htmx=True), as_("kari", htmx=True)
    form = tor.get(url(project, f"/activities/{a.id}/edit")).get_data(as_text=True)
    assert form.lstrip().startswith(f'<tr id="activity-{a.id}"') and hidden(form, f"a{a.id}_version") == "1"
    first = post(tor, url(project, f"/activities/{a.id}"),
                 a_data(f"a{a.id}_", what="Sak på intranett", audience="Alle ansatte", channel="intranet",
                        status="done", version="1"), page=url(project))
    assert first.status_code == 200 and "Gjennomført" in first.get_data(as_text=True)
    second = post(kari, url(project, f"/activities/{a.id}"),
                  a_data(f"a{a.id}_", what="Sak på intranett", audience="Alle ansatte", channel="email",
                         status="planned", version="1"), page=url(project))
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert html.lstrip().startswith(f'<tr id="activity-{a.id}"')
    assert "<dt>Status</dt><dd class=\"prewrap\">Gjennomført</dd>" in html
    a = fresh(CommunicationActivity, a.id)
    assert (a.status, a.channel) == ("done", "intranet")
    [event] = events(project.id, "communication.updated")
    assert "status fra planlagt til gjennomført" in describe(event)


def test_post_without_csrf_token_is_refused(as_, project):
    assert as_("kari").post(url(project), data=s_data()).status_code == 400
    assert as_("kari").post(url(project, "/activities"), data=a_data()).status_code == 400
    assert db.session.scalar(db.select(db.func.count(Stakeholder.id))) == 0


def test_ids_of_another_project_are_404(as_, project, people):
    other = make_project(people, stage="planning", manager="kari")
    s, a = add_stakeholder(other), add_activity(other)
    client = as_("kari")
    assert client.get(url(project, f"/{s.id}/edit")).status_code == 404
    assert client.get(url(project, f"/activities/{a.id}/edit")).status_code == 404
    assert post(client, url(project, f"/activities/{a.id}/delete"), {}, page=url(project)).status_code == 404


# --- the gate fact ---------------------------------------------------------------------------------------------
def test_stakeholder_count_feeds_bp3(as_, project):
    from app.gates.services import answers_for, checklist_for
    from app.workflow import Gate

    def state():
        p = fresh(Project, project.id)
        return {e.item.key: e.state.value for e in checklist_for(p, Gate.BP3, answers_for(p, Gate.BP3)).items}

    assert facts_for(fresh(Project, project.id)).stakeholder_count == 0
    assert state()["stakeholder_analysis_done"] == "warning"
    post(as_("tor"), url(project), s_data(), page=url(project))
    post(as_("tor"), url(project), s_data(name="Kommunestyret"), page=url(project))
    assert facts_for(fresh(Project, project.id)).stakeholder_count == 2
    assert state()["stakeholder_analysis_done"] == "ok"


@pytest.mark.parametrize("interest, influence, advice", [
    (3, 3, "Involver tett"), (2, 3, "Hold fornøyd"), (1, 3, "Hold fornøyd"), (3, 2, "Hold informert"),
    (3, 1, "Hold informert"), (2, 2, "Følg med"), (1, 1, "Følg med"), (2, 1, "Følg med"),
])
def test_advice_per_cell_of_the_grid(interest, influence, advice):
    from app.models.stakeholder import approach

    assert approach(interest, influence) == advice
