"""Signing in through the real form against the embedded demo directory."""
from __future__ import annotations

import json

import pytest

from app.directory import DirectoryUnavailable
from app.extensions import db as _db
from app.models import LoginAttempt, User
from tests.auth.helpers import (
    Page,
    audit_events,
    location_path,
    session_rows,
    sign_in,
    signed_in_name,
)
from tests.support.factories import csrf_token, login_as, make_user

WRONG = "Feil brukernavn eller passord."
#: a password nobody else uses, so it can be searched for in logs and audit data
SECRET = "Sv4rt-Hemmelig!Passord"
IDA_DIRECTORY_ID = "09bdba5b-1152-54fd-9951-c10dd2bde07a"


def _user(username: str) -> User | None:
    return _db.session.execute(
        _db.select(User).where(User.username == username)).scalar_one_or_none()


# --- signing in -------------------------------------------------------------------------
def test_ida_signs_in_and_sees_her_name_on_the_front_page(client, db):
    response = sign_in(client, "ida", "demo")

    assert response.status_code == 302
    assert location_path(response) == "/"
    assert "Ida Berg" in signed_in_name(client)
    page = client.get("/").get_data(as_text=True)
    assert "Hei, Ida Berg" in page


def test_sign_in_stores_ida_keyed_on_her_directory_id_with_unit_and_leader(client, db):
    sign_in(client, "ida", "demo")

    ida = _user("ida")
    assert ida is not None
    assert ida.directory_id == IDA_DIRECTORY_ID
    assert ida.display_name == "Ida Berg"
    assert ida.unit == "Helse og omsorg"
    assert ida.email == "ida@demo.kommune.no"
    assert ida.leader_username == "ola"
    assert ida.roles == set()
    assert ida.last_login_at is not None


def test_sign_in_refreshes_an_existing_record_found_by_directory_id(client, db):
    """A renamed account keeps its row: the key is the directory id, not the username."""
    old = User(directory_id=IDA_DIRECTORY_ID, username="ida.old", display_name="Ida Gammel",
               unit="Gammel enhet", roles_text="admin")
    _db.session.add(old)
    _db.session.commit()
    old_id = old.id

    sign_in(client, "ida", "demo")

    users = list(_db.session.scalars(_db.select(User)))
    assert [u.id for u in users] == [old_id]
    assert (users[0].username, users[0].display_name, users[0].unit) == (
        "ida", "Ida Berg", "Helse og omsorg")
    # Roles follow the directory: a role granted earlier but no longer there is gone.
    assert users[0].roles == set()


def test_roles_come_from_nested_directory_groups(client, db):
    """per is in ikt-drift, which is inside faseport-ikt."""
    sign_in(client, "per", "demo")

    per = _user("per")
    assert per.roles == {"ikt"}
    assert per.unit == "IKT"
    assert per.leader_username == "nils"


def test_successful_sign_in_is_audited_with_ip(client, db):
    sign_in(client, "ida", "demo")

    [event] = audit_events("auth.login")
    assert event.actor is not None and event.actor.username == "ida"
    assert event.actor_name == "Ida Berg"
    assert event.ip == "127.0.0.1"
    assert SECRET not in json.dumps(event.data) and "demo" not in json.dumps(event.data)


def test_signed_in_person_is_sent_from_the_login_page_to_the_front_page(client, db):
    sign_in(client, "ida", "demo")
    response = client.get("/login")
    assert response.status_code == 302
    assert location_path(response) == "/"


# --- refused sign-in --------------------------------------------------------------------
@pytest.mark.parametrize("username,password", [("ida", SECRET), ("ingen-slik", SECRET)])
def test_refused_sign_in_shows_one_calm_message_and_keeps_the_username(
        client, db, username, password):
    """Wrong password and unknown user look the same (no account enumeration)."""
    response = sign_in(client, username, password)

    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert html.count(WRONG) == 1
    page = Page(html)
    assert page.input_value("username") == username
    assert page.input_value("password") in (None, "")
    assert SECRET not in html
    assert signed_in_name(client) is None
    assert session_rows() == []


def test_refused_sign_in_is_audited_with_reason_but_never_the_password(client, db, app_logs):
    sign_in(client, "ida", SECRET)

    [event] = audit_events("auth.login_failed")
    assert event.actor is None
    assert event.actor_name == "ida"
    assert event.ip == "127.0.0.1"
    assert event.data["username"] == "ida"
    assert event.data["reason"]  # e.g. "invalid credentials", for the log reader
    everything = json.dumps({"data": event.data, "actor_name": event.actor_name})
    assert SECRET not in everything

    # The refusal is logged (so the check below is looking at real log output) …
    messages = [record.getMessage() for record in app_logs.records]
    assert any("sign-in refused" in m and "'ida'" in m for m in messages), messages
    # … and no log line, from the app or the LDAP library, carries the password.
    assert not [m for m in messages if SECRET in m]
    assert SECRET not in app_logs.text


def test_successful_sign_in_never_logs_the_password(client, db, app_logs, monkeypatch):
    # Every demo password is "demo", which also occurs in DNs; use a unique one instead.
    directory = client.application.extensions["faseport_directory"]
    real = directory.authenticate
    seen = []

    def authenticate(username, password):
        seen.append(password)
        return real(username, "demo")

    monkeypatch.setattr(directory, "authenticate", authenticate)
    response = sign_in(client, "ida", SECRET)

    assert response.status_code == 302 and seen == [SECRET]
    assert any("signed in as" in r.getMessage() for r in app_logs.records)
    assert SECRET not in app_logs.text
    assert all(SECRET not in json.dumps(e.data) for e in audit_events())


@pytest.mark.parametrize("username,password,errors", [
    ("", "", ["Skriv brukernavnet ditt.", "Skriv passordet ditt."]),
    ("ida", "", ["Skriv passordet ditt."]),
    ("   ", "demo", ["Skriv brukernavnet ditt."]),
])
def test_empty_fields_give_422_with_norwegian_messages_by_the_fields(
        client, db, username, password, errors):
    response = sign_in(client, username, password)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    page = Page(html)
    for message in errors:
        assert message in html
    for name in ("username", "password"):
        field_error = page.text_of("div", id=f"{name}-error")
        wanted = {"username": "Skriv brukernavnet ditt.", "password": "Skriv passordet ditt."}[name]
        assert (field_error == wanted) == (wanted in errors)
    # Nothing was asked of the directory, so nothing counts towards the rate limit.
    assert _db.session.scalar(_db.select(_db.func.count(LoginAttempt.id))) == 0
    assert signed_in_name(client) is None


def test_sign_in_without_csrf_token_is_refused_with_a_norwegian_page(client, db):
    client.get("/login")
    response = client.post("/login", data={"username": "ida", "password": "demo"})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<html lang="nb"' in html
    assert "sikkerhetsnøkkel" in html
    assert "Bad Request" not in html
    assert signed_in_name(client) is None
    assert _user("ida") is None


def test_sign_in_with_a_forged_csrf_token_is_refused(client, db):
    client.get("/login")
    response = client.post("/login", data={"username": "ida", "password": "demo",
                                           "csrf_token": "forged"})
    assert response.status_code == 400
    assert signed_in_name(client) is None


# --- where sign-in leads ----------------------------------------------------------------
def test_next_brings_the_person_back_to_the_page_they_asked_for(client, db):
    first = client.get("/?tab=mine")
    assert first.status_code == 302
    login_page = client.get(first.headers["Location"])
    next_value = Page(login_page.get_data(as_text=True)).input_value("next")
    assert next_value == "/?tab=mine"

    response = sign_in(client, "ida", "demo", next=next_value)
    assert location_path(response) == "/?tab=mine"


@pytest.mark.parametrize("target,expected", [
    ("//evil.example", "/"),
    ("//evil.example/login", "/login"),  # only the path is kept: still this site
    ("https://evil.example", "/"),
    ("https://evil.example/", "/"),
    ("http:evil.example", "/"),
    ("/\\evil.example", "/"),  # browsers read a backslash as a slash
    ("\\\\evil.example", "/"),
    ("/\t/evil.example", "/"),  # browsers drop the tab: //evil.example
    ("/\n/evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("", "/"),
])
def test_next_never_leads_off_the_site(client, db, target, expected):
    response = sign_in(client, "ida", "demo", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/x"])
def test_login_page_does_not_carry_a_foreign_next_into_the_form(client, db, target):
    response = client.get("/login", query_string={"next": target})
    value = Page(response.get_data(as_text=True)).input_value("next")
    assert value in ("/", "/x")


# --- the directory is down --------------------------------------------------------------
def test_directory_down_gives_a_norwegian_503_and_no_strike_against_the_user(
        client, db, monkeypatch):
    directory = client.application.extensions["faseport_directory"]

    def unavailable(username, password):
        raise DirectoryUnavailable("connecting: timed out")

    monkeypatch.setattr(directory, "authenticate", unavailable)
    for _attempt in range(6):
        response = sign_in(client, "ida", "demo")
        html = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "får ikke kontakt med brukerkatalogen akkurat nå" in html
        assert WRONG not in html
        assert Page(html).input_value("username") == "ida"
    assert signed_in_name(client) is None

    # When the directory is back, the outage has not used up Ida's attempts.
    monkeypatch.undo()
    response = sign_in(client, "ida", "demo")
    assert response.status_code == 302
    assert "Ida Berg" in signed_in_name(client)


# --- sign-in while someone else is signed in --------------------------------------------
def test_signing_in_as_someone_else_replaces_the_previous_person(client, db):
    login_as(client, make_user("ola", display_name="Ola Nordmann"))
    assert "Ola Nordmann" in signed_in_name(client)

    data = {"username": "ida", "password": "demo", "csrf_token": csrf_token(client, "/")}
    response = client.post("/login", data=data)

    assert response.status_code == 302
    assert "Ida Berg" in signed_in_name(client)


# --- the form itself --------------------------------------------------------------------
def _focused(response) -> list[str]:
    return [a["name"] for a in Page(response.get_data(as_text=True)).find("input")
            if "autofocus" in a]


def test_cursor_starts_in_the_field_that_needs_the_person(client, db):
    """One field has autofocus: the username first, the password once a name is given."""
    assert _focused(client.get("/login")) == ["username"]
    assert _focused(sign_in(client, "", "")) == ["username"]
    assert _focused(sign_in(client, "ida", "")) == ["password"]
    assert _focused(sign_in(client, "ida", SECRET)) == ["password"]
