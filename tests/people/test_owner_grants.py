"""The administrator's page for the owner role (/people/owners): grant and revoke, both
audited, for administrators only; a grant makes the person a possible owner at once."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import AuditEvent, OwnerGrant, User
from tests.gates.flow import fresh
from tests.support.factories import post_form

URL = "/people/owners"


def grant(client, person, note="Fungerende enhetsleder til 1. juni"):
    return post_form(client, URL, {"person": person, "note": note}, page=URL)


def events(action):
    db.session.expire_all()
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize("who", ["ida", "ola", "per", "siri", "lise", "kari"])
def test_only_administrators_may_use_the_page(as_user, users, who):
    client = as_user(who)
    assert client.get(URL).status_code == 403
    assert grant(client, "kari").status_code == 403
    assert db.session.scalar(db.select(OwnerGrant)) is None
    assert 'href="/people/owners"' not in client.get("/").get_data(as_text=True)


def test_admin_grants_the_role_and_kari_may_then_own(as_user, users):
    admin = as_user("admin")
    assert 'href="/people/owners"' in admin.get("/").get_data(as_text=True)
    assert not fresh(User, users["kari"].id).can_own_projects()

    response = grant(admin, "Kari Nordmann")

    assert response.status_code == 303
    assert fresh(User, users["kari"].id).can_own_projects()
    [event] = events("owner_role.granted")
    assert event.actor.username == "admin" and event.data["username"] == "kari"
    assert event.data["note"] == "Fungerende enhetsleder til 1. juni"
    html = admin.get(URL).get_data(as_text=True)
    assert "Kari Nordmann kan nå være prosjekteier." in html
    assert "Fungerende enhetsleder til 1. juni" in html and "Adam Berge" in html
    # The owner picker now offers her.
    search = as_user("ida").get("/people/search", query_string={"q": "kari", "scope": "owner"})
    assert 'data-username="kari"' in search.get_data(as_text=True)


def test_granting_twice_is_refused_beside_the_field(as_user, users):
    admin = as_user("admin")
    assert grant(admin, "kari").status_code == 303
    response = grant(admin, "Kari Nordmann", note="Igjen")
    assert response.status_code == 422
    assert "Kari Nordmann har allerede fått rollen." in response.get_data(as_text=True)
    assert len(events("owner_role.granted")) == 1


@pytest.mark.parametrize("person, message", [
    ("", "Velg personen som skal få rollen."),
    ("Finnes Ikke", "Fant ikke «Finnes Ikke» i brukerkatalogen."),
])
def test_an_unknown_person_is_refused_and_the_note_is_kept(as_user, users, person, message):
    response = grant(as_user("admin"), person, note="Min begrunnelse")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and 'value="Min begrunnelse"' in html
    assert db.session.scalar(db.select(OwnerGrant)) is None


def test_revoking_is_audited_and_takes_effect_at_once(as_user, users):
    admin = as_user("admin")
    grant(admin, "kari")
    grant_id = db.session.scalar(db.select(OwnerGrant.id))
    html = admin.get(URL).get_data(as_text=True)
    assert re.search(rf'action="/people/owners/{grant_id}/revoke"', html)

    response = post_form(admin, f"{URL}/{grant_id}/revoke", page=URL)

    assert response.status_code == 303
    assert not fresh(User, users["kari"].id).can_own_projects()
    [event] = events("owner_role.revoked")
    assert event.data["username"] == "kari"
    assert "Kari Nordmann har ikke lenger rollen" in admin.get(URL).get_data(as_text=True)
    # A second revoke (another tab) changes nothing and says so.
    again = post_form(admin, f"{URL}/{grant_id}/revoke", page=URL)
    assert again.status_code == 303
    assert len(events("owner_role.revoked")) == 1


def test_grant_and_revoke_need_the_csrf_token(as_user, users):
    admin = as_user("admin")
    admin.get(URL)
    assert admin.post(URL, data={"person": "kari"}).status_code == 400
    assert db.session.scalar(db.select(OwnerGrant)) is None
