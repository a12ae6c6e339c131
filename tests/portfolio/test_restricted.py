"""The "Skjermet" rule through every portfolio path: a restricted project is seen only by
its own people, the portefolje role and administrators — in rows, counts, charts,
exports, programmes, saved views and the ranking. And the owner's switch."""
from __future__ import annotations

import re
from datetime import date

import pytest

from app.extensions import db
from app.models import AuditEvent, Project, ProjectMember
from tests.gates.flow import fresh
from tests.portfolio import builders as b
from tests.portfolio.helpers import read_csv, read_xlsx, section_text, table_rows
from tests.support.factories import csrf_token, make_user

SECRET = "Skjult omorganisering av barnevernet"


@pytest.fixture()
def world(users):
    """One restricted and one open project, alike in everything the panels count."""
    member = make_user("mona", display_name="Mona Medlem")
    users["mona"] = member
    hidden = b.project(users, SECRET, stage="planning", unit="Barnevern", owner="randi", manager="kari",
                       submitter="ida", restricted=True, need="Fortrolig omorganisering")
    db.session.add(ProjectMember(project_id=hidden.id, user_id=member.id, role="member"))
    db.session.commit()
    shown = b.project(users, "Åpent prosjekt om skolemat", stage="execution", unit="Oppvekst", owner="ola",
                      manager="ida", submitter="ola")
    for p in (hidden, shown):
        b.budget(p, 400_000)
        b.milestone(p, "M1", date(2026, 6, 1))
        b.report(p, users["kari"], progress="red")
        b.score(p, users["lise"])
    b.risk(hidden, 5, 5)
    b.risk(shown, 1, 1)
    b.benefit(hidden, users["kari"], measurements=((date(2025, 9, 1), 40),))  # reached
    b.benefit(shown, users["kari"])  # not measured yet
    programme = b.programme("Trygg oppvekst", users["per"], hidden, shown)
    return {"hidden": hidden, "shown": shown, "programme": programme}


OUTSIDERS = ["per", "siri", "ola"]  # ola owns the other project, not this one
INSIDERS = ["lise", "admin", "randi", "kari", "ida", "mona"]  # portefolje, admin, owner, manager, submitter, member


def _heat_cell(html: str, p: int, c: int) -> str:
    match = re.search(rf"Sannsynlighet {p}, konsekvens {c}: (\d+)", html)
    assert match, "no heat map cell"
    return match.group(1)


@pytest.mark.parametrize("viewer", OUTSIDERS + INSIDERS)
def test_overview_rows_counts_and_charts(as_user, world, viewer):
    sees = viewer in INSIDERS
    client = as_user(viewer)
    for url in ("/portfolio", "/portfolio?stage=planning", f"/portfolio?q={SECRET[:10]}", "/portfolio?status=red"):
        for headers in ({}, {"HX-Request": "true"}):
            html = client.get(url, headers=headers).get_data(as_text=True)
            assert (SECRET in html) is sees, (url, headers)
    html = client.get("/portfolio").get_data(as_text=True)
    assert table_rows(html) == ([SECRET] if sees else []) + ["Åpent prosjekt om skolemat"]
    table_html, html = html, client.get("/portfolio/panels").get_data(as_text=True)
    assert (SECRET in html) is False  # the panels count, they do not name projects
    funnel = section_text(html, "funnel-h")
    assert f"Planlegge: {1 if sees else 0}" in funnel
    assert _heat_cell(html, 5, 5) == ("1" if sees else "0")
    assert ("2 åpne risikoer" if sees else "1 åpen risiko") in section_text(html, "heat-h")
    benefits = section_text(html, "benefits-h")
    assert ("2 gevinster" if sees else "1 gevinst") in benefits
    assert ("1 målet er nådd" if sees else "0 målet er nådd") in benefits
    html = table_html
    assert "Viser" not in html and ("2 prosjekter" if sees else "1 prosjekt") in html
    # Filter choices come only from what the person may see.
    assert ('value="Barnevern"' in html) is sees
    assert ('<option value="randi"' in html) is sees


@pytest.mark.parametrize("viewer", OUTSIDERS + INSIDERS)
def test_csv_and_xlsx(as_user, world, viewer):
    client = as_user(viewer)
    csv_titles = [r[1] for r in read_csv(client.get("/portfolio/export.csv").get_data())[1:]]
    xlsx_titles = [r[1] for r in read_xlsx(client.get("/portfolio/export.xlsx").get_data())[1:]]
    expected = ([SECRET] if viewer in INSIDERS else []) + ["Åpent prosjekt om skolemat"]
    assert csv_titles == xlsx_titles == expected
    # Asking for it by name does not help.
    assert (SECRET in client.get(f"/portfolio/export.csv?q={SECRET}").get_data(as_text=True)) is (viewer in INSIDERS)


@pytest.mark.parametrize("viewer", OUTSIDERS + INSIDERS)
def test_programme_pages(as_user, world, viewer):
    sees = viewer in INSIDERS
    client = as_user(viewer)
    html = client.get(f"/portfolio/programmes/{world['programme'].id}").get_data(as_text=True)
    assert (SECRET in html) is sees
    assert ("2 prosjekter" if sees else "1 prosjekt") in html
    assert (re.search(r"Planlegge\s*</th>\s*<td class=\"num\">1<", html) is not None) is sees
    risk_panel = section_text(html, "p-risk-h")
    assert ("2 åpne risikoer" if sees else "1 åpen risiko") in risk_panel
    assert ("Leverandøren leverer for sent" in risk_panel)  # both projects have one; the open one always
    status = section_text(html, "p-status-h")
    assert re.search(rf"Rød\s+{2 if sees else 1}\b", status)
    listing = client.get("/portfolio/programmes").get_data(as_text=True)
    assert ("2 prosjekter" if sees else "1 prosjekt") in listing
    benefits = client.get(f"/portfolio/benefits?programme={world['programme'].id}").get_data(as_text=True)
    assert (SECRET in benefits) is sees


@pytest.mark.parametrize("viewer", OUTSIDERS + INSIDERS)
def test_ranking_and_benefits_list(as_user, world, viewer):
    client = as_user(viewer)
    sees = viewer in INSIDERS
    assert (SECRET in client.get("/portfolio/priorities").get_data(as_text=True)) is sees
    assert (SECRET in client.get("/portfolio/benefits").get_data(as_text=True)) is sees
    # The scoring form of a hidden project does not exist for outsiders (404, not 403).
    status = client.get(f"/portfolio/priorities/{world['hidden'].id}").status_code
    if viewer in ("lise", "admin"):
        assert status == 200
    elif sees:
        assert status == 403  # they see the project, but only portfolio management scores
    else:
        assert status == 404


def test_a_saved_view_runs_again_with_the_viewers_own_rights(as_user, world):
    lise = as_user("lise")
    response = lise.post("/portfolio/views", data={
        "csrf_token": csrf_token(lise, "/portfolio"), "name": "Planlegging", "query": "stage=planning"})
    assert response.status_code == 302
    assert SECRET in lise.get(response.headers["Location"]).get_data(as_text=True)
    per = as_user("per")
    per.post("/portfolio/views", data={"csrf_token": csrf_token(per, "/portfolio"), "name": "Planlegging",
                                       "query": "stage=planning&q=Skjult"})
    html = per.get("/portfolio?stage=planning&q=Skjult").get_data(as_text=True)
    assert SECRET not in html and "Ingen prosjekter passer til filtrene." in html


def test_programme_search_offers_only_visible_projects(as_user, world, users):
    free = b.project(users, "Skjult kartlegging", stage="planning", restricted=True, owner="randi")
    open_one = b.project(users, "Skjult vei? Nei, åpen vei", stage="planning")
    per = as_user("per")  # per owns the programme and may add projects
    html = per.get(f"/portfolio/programmes/{world['programme'].id}?find=Skjult").get_data(as_text=True)
    assert "Skjult vei? Nei, åpen vei" in html and "Skjult kartlegging" not in html
    # Adding it by number anyway: 404.
    response = per.post(f"/portfolio/programmes/{world['programme'].id}/projects",
                        data={"csrf_token": csrf_token(per, "/portfolio"), "project_id": str(free.id)})
    assert response.status_code == 404
    assert open_one.id


def test_restricted_project_is_marked_for_those_who_see_it(as_user, world):
    html = as_user("lise").get("/portfolio").get_data(as_text=True)
    row = re.search(rf'<tr id="project-row-{world["hidden"].id}">(.*?)</tr>', html, re.S).group(1)
    assert "Skjermet" in row


# --- the switch -----------------------------------------------------------------------------------
def _toggle(client, project, value: str, *, token: bool = True):
    data = {"restricted": value}
    if token:
        data["csrf_token"] = csrf_token(client, f"/projects/{project.id}")
    return client.post(f"/portfolio/projects/{project.id}/restricted", data=data)


@pytest.mark.parametrize("actor, allowed", [
    ("ola", True),      # prosjekteier
    ("admin", True),
    ("ida", False),     # manager of this one, submitter of none
    ("kari", False),
    ("lise", False),    # portefolje sees restricted projects but does not decide
    ("per", False),
])
def test_only_owner_and_admin_restrict(as_user, world, actor, allowed):
    project = world["shown"]  # owner ola, manager ida
    client = as_user(actor)
    response = _toggle(client, project, "1")
    if allowed:
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/projects/{project.id}")
        assert fresh(Project, project.id).restricted is True
        event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "project.restricted")).one()
        assert event.project_id == project.id and event.actor.username == actor
        history = client.get(f"/projects/{project.id}/history").get_data(as_text=True)
        assert "skjermet prosjektet" in history
        # Now hidden from per, still seen by lise.
        assert "Åpent prosjekt om skolemat" not in as_user("per").get("/portfolio").get_data(as_text=True)
        assert "Åpent prosjekt om skolemat" in as_user("lise").get("/portfolio").get_data(as_text=True)
        # And back.
        assert _toggle(client, project, "0").status_code == 303
        assert fresh(Project, project.id).restricted is False
        assert "Åpent prosjekt om skolemat" in as_user("per").get("/portfolio").get_data(as_text=True)
    else:
        assert response.status_code == 403
        assert fresh(Project, project.id).restricted is False


def test_switch_needs_csrf_a_valid_value_and_a_visible_project(as_user, world, users):
    ola = as_user("ola")
    assert _toggle(ola, world["shown"], "1", token=False).status_code == 400
    assert _toggle(ola, world["shown"], "kanskje").status_code == 400
    assert fresh(Project, world["shown"].id).restricted is False
    # per cannot even find the restricted one.
    assert _toggle(as_user("per"), world["hidden"], "0", token=True).status_code in (404,)
    draft = b.project(users, "Kladd", stage="draft", submitter="ola", owner="ola")
    assert ola.post(f"/portfolio/projects/{draft.id}/restricted",
                    data={"csrf_token": csrf_token(ola, "/portfolio"), "restricted": "1"}).status_code == 404


def test_project_card_shows_the_switch_only_to_owner_and_admin(app, world):
    """The snippet for the project overview (templates/portfolio/_project_card.html)."""
    from flask import g, render_template_string

    from app.models import User

    def card(username, project):
        with app.test_request_context("/"):
            g._login_user = db.session.scalars(db.select(User).where(User.username == username)).one()
            return " ".join(render_template_string('{% include "portfolio/_project_card.html" %}',
                                                   project=fresh(Project, project.id)).split())

    for name, button in (("ola", True), ("admin", True), ("ida", False), ("lise", False), ("per", False)):
        assert ("Skjerm prosjektet" in card(name, world["shown"])) is button, name
    html = card("per", world["shown"])
    assert "Ikke skjermet: alle ansatte kan se prosjektet." in html
    assert "Trygg oppvekst" in html and "15</strong> av 25" in html and "Lise Johansen" in html
    assert "Vurder saken" not in html and "Endre vurderingen" not in html
    assert "Endre vurderingen" in card("lise", world["shown"])
    html = card("kari", world["hidden"])
    assert "Skjermet" in html and "Opphev skjermingen" not in html
    assert "Opphev skjermingen" in card("randi", world["hidden"])
