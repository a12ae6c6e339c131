"""Programmes: portfolio management creates them, the programme owner looks after them,
a project is in at most one, and the programme page sums its projects up."""
from __future__ import annotations

import re
from datetime import date

import pytest

from app.extensions import db
from app.models import AuditEvent
from app.models.portfolio import Programme, ProgrammeProject
from tests.portfolio import builders as b
from tests.portfolio.helpers import section_text
from tests.support.factories import csrf_token


def _form(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/portfolio"), "description": "",
                                  "version": "", **data})


def _programmes():
    db.session.expire_all()
    return db.session.scalars(db.select(Programme).order_by(Programme.id)).all()


@pytest.mark.parametrize("actor, allowed", [("lise", True), ("admin", True), ("ola", False), ("per", False),
                                            ("kari", False)])
def test_only_portfolio_management_and_admins_create(as_user, users, actor, allowed):
    client = as_user(actor)
    assert client.get("/portfolio/programmes/new").status_code == (200 if allowed else 403)
    response = _form(client, "/portfolio/programmes/new", {"name": "Det døgnåpne rådhus", "owner_username": "randi",
                                                           "description": "Digitale tjenester hele døgnet."})
    if allowed:
        assert response.status_code == 303
        programme = _programmes()[0]
        assert (programme.name, programme.owner.username, programme.created_by.username) == (
            "Det døgnåpne rådhus", "randi", actor)
        assert response.headers["Location"].endswith(f"/portfolio/programmes/{programme.id}")
        assert db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.action == "programme.created")).all() == ["programme.created"]
    else:
        assert response.status_code == 403 and _programmes() == []
    listing = client.get("/portfolio/programmes").get_data(as_text=True)
    assert ("Nytt program" in listing) is allowed


def test_create_validates_in_norwegian(as_user, users):
    lise = as_user("lise")
    b.programme("Velferdsteknologi", users["ola"])
    response = _form(lise, "/portfolio/programmes/new", {"name": "velferdsteknologi", "owner_username": "finnesikke"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Det finnes allerede et program med dette navnet." in html
    assert "Fant ikke «finnesikke» i brukerkatalogen." in html
    assert 'value="velferdsteknologi"' in html  # what was typed stays
    response = _form(lise, "/portfolio/programmes/new", {"name": "", "owner_username": ""})
    assert "Gi programmet et navn." in response.get_data(as_text=True)
    assert _form(lise, "/portfolio/programmes/new", {"name": "X", "owner_username": "ola", "csrf_token": ""}
                 ).status_code == 400
    assert len(_programmes()) == 1


@pytest.mark.parametrize("actor, allowed", [("ola", True), ("lise", True), ("admin", True), ("kari", False),
                                            ("per", False)])
def test_owner_portfolio_and_admin_edit(as_user, users, actor, allowed):
    programme = b.programme("Velferdsteknologi", users["ola"])
    client = as_user(actor)
    url = f"/portfolio/programmes/{programme.id}/edit"
    assert client.get(url).status_code == (200 if allowed else 403)
    response = _form(client, url, {"name": "Velferdsteknologi 2026", "owner_username": "ola",
                                   "version": str(programme.version)})
    assert response.status_code == (303 if allowed else 403)
    assert _programmes()[0].name == ("Velferdsteknologi 2026" if allowed else "Velferdsteknologi")
    page = client.get(f"/portfolio/programmes/{programme.id}").get_data(as_text=True)
    assert (f'href="{url}"' in page) is allowed


def test_edit_conflict_keeps_the_first_save(as_user, users):
    programme = b.programme("Velferdsteknologi", users["ola"])
    version = str(programme.version)
    url = f"/portfolio/programmes/{programme.id}/edit"
    assert _form(as_user("ola"), url, {"name": "Første", "owner_username": "ola", "version": version}).status_code == 303
    second = _form(as_user("lise"), url, {"name": "Andre", "owner_username": "ola", "version": version})
    html = second.get_data(as_text=True)
    assert second.status_code == 409 and "Noen andre har endret programmet" in html and 'value="Andre"' in html
    assert _programmes()[0].name == "Første"


def test_add_and_remove_projects_one_programme_per_project(as_user, users):
    first = b.programme("Velferdsteknologi", users["ola"])
    second = b.programme("Digitalt førstevalg", users["randi"])
    project = b.project(users, "Medisindispensere", stage="planning")
    ola = as_user("ola")
    page = ola.get(f"/portfolio/programmes/{first.id}?find=medisin").get_data(as_text=True)
    assert "Medisindispensere" in page and "Legg til" in page
    response = ola.post(f"/portfolio/programmes/{first.id}/projects",
                        data={"csrf_token": csrf_token(ola, "/portfolio"), "project_id": str(project.id)})
    assert response.status_code == 303
    assert db.session.get(ProgrammeProject, project.id).programme_id == first.id
    # The search no longer offers it, and another programme cannot take it.
    assert "Medisindispensere" not in ola.get(f"/portfolio/programmes/{first.id}?find=medisin",
                                              headers={"HX-Request": "true"}).get_data(as_text=True)
    randi = as_user("randi")
    response = randi.post(f"/portfolio/programmes/{second.id}/projects",
                          data={"csrf_token": csrf_token(randi, "/portfolio"), "project_id": str(project.id)})
    assert response.status_code == 303
    page = randi.get(response.headers["Location"]).get_data(as_text=True)
    assert "hører allerede til programmet «Velferdsteknologi»" in page
    db.session.expire_all()
    assert db.session.get(ProgrammeProject, project.id).programme_id == first.id
    # Someone who may not edit the programme gets 403.
    per = as_user("per")
    assert per.post(f"/portfolio/programmes/{first.id}/projects/{project.id}/remove",
                    data={"csrf_token": csrf_token(per, "/portfolio")}).status_code == 403
    assert ola.post(f"/portfolio/programmes/{first.id}/projects/{project.id}/remove").status_code == 400
    response = ola.post(f"/portfolio/programmes/{first.id}/projects/{project.id}/remove",
                        data={"csrf_token": csrf_token(ola, "/portfolio")})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(ProgrammeProject, project.id) is None
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.project_id == project.id)
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["programme.project_added", "programme.project_removed"]
    history = ola.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "la prosjektet til programmet «Velferdsteknologi»" in history
    # Bad project numbers: 404, never 500.
    for bad in ("abc", "999999", ""):
        assert ola.post(f"/portfolio/programmes/{first.id}/projects",
                        data={"csrf_token": csrf_token(ola, "/portfolio"), "project_id": bad}).status_code == 404


def test_programme_page_sums_up_stages_status_risks_and_benefits(as_user, users):
    a = b.project(users, "Medisindispensere", stage="planning")
    c = b.project(users, "Digitalt tilsyn", stage="execution")
    d = b.project(users, "Trygghetsalarmer", stage="execution")
    outside = b.project(users, "Utenfor programmet", stage="execution")
    b.report(a, users["kari"], progress="green")
    b.report(c, users["kari"], progress="yellow", cost="red")
    b.report(outside, users["kari"], progress="red")
    b.risk(a, 5, 4, description="Leverandøren går konkurs")
    b.risk(c, 2, 2, description="Lite interesse blant brukerne")
    b.risk(d, 3, 3, description="Forsinket integrasjon")
    b.risk(d, 5, 5, status="closed", description="Lukket risiko")
    b.risk(outside, 5, 5, description="Utenfor")
    b.benefit(a, users["kari"], measurements=((date(2025, 9, 1), 40),))
    b.benefit(c, users["kari"])
    programme = b.programme("Velferdsteknologi", users["ola"], a, c, d,
                            description="Velferdsteknologi i hjemmetjenesten.")
    html = as_user("per").get(f"/portfolio/programmes/{programme.id}").get_data(as_text=True)
    assert "Programeier:" in html and "Ola Nordmann" in html and "3 prosjekter" in html
    assert re.search(r"Planlegge\s*</th>\s*<td class=\"num\">1<", html)
    assert re.search(r"Gjennomføre\s*</th>\s*<td class=\"num\">2<", html)
    status = section_text(html, "p-status-h")
    assert status.startswith("Status Samlet: ■ Rød")
    assert re.search(r"Rød\s+1\b.*Gul\s+0\b.*Grønn\s+1\b.*Ingen rapport\s+1\b", status)
    risks = section_text(html, "p-risk-h")
    assert "3 åpne risikoer" in risks and "1 høy" in risks and "1 middels" in risks and "1 lav" in risks
    assert risks.index("Leverandøren går konkurs") < risks.index("Forsinket integrasjon") < risks.index(
        "Lite interesse")
    assert "Lukket risiko" not in risks and "Utenfor" not in html
    benefits = section_text(html, "p-benefits-h")
    assert "2 gevinster" in benefits and "1 målet er nådd" in benefits and "1 ikke målt ennå" in benefits
    # The portfolio filtered to the programme.
    overview = as_user("per").get(f"/portfolio?programme={programme.id}").get_data(as_text=True)
    assert "Medisindispensere" in overview and "Utenfor programmet" not in overview
    assert f'href="/portfolio?programme={programme.id}"' in html


def test_delete_programme_keeps_the_projects(as_user, users):
    project = b.project(users, "Medisindispensere", stage="planning")
    programme_id = b.programme("Velferdsteknologi", users["ola"], project).id
    ola = as_user("ola")  # the owner edits, but only portfolio management deletes
    assert ola.post(f"/portfolio/programmes/{programme_id}/delete",
                    data={"csrf_token": csrf_token(ola, "/portfolio")}).status_code == 403
    lise = as_user("lise")
    response = lise.post(f"/portfolio/programmes/{programme_id}/delete",
                         data={"csrf_token": csrf_token(lise, "/portfolio")})
    assert response.status_code == 303 and _programmes() == []
    assert "Medisindispensere" in lise.get("/portfolio").get_data(as_text=True)
    assert lise.get(f"/portfolio/programmes/{programme_id}").status_code == 404
    # The project is free to join another programme.
    db.session.expire_all()
    assert db.session.get(ProgrammeProject, project.id) is None
