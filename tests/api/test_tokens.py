"""Personal API tokens: created and revoked on /profile, used as `Authorization: Bearer`."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import inspect, text

from app.extensions import db
from app.models import ApiToken, AuditEvent
from tests.gates.flow import BrowserClient, fresh, make_project
from tests.support.factories import csrf_token, post_form

def create(client, name="Power BI – porteføljerapport"):
    """Press "Lag ny nøkkel" on the profile page; returns (response, plaintext token)."""
    response = post_form(client, "/profile/tokens", {"name": name}, page="/profile")
    html = response.get_data(as_text=True)
    match = re.search(r'id="new-token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*id="new-token"', html)
    return response, (match.group(1) if match else None)


@pytest.fixture()
def api(app):
    """A client with no session at all, like Power BI."""
    return BrowserClient(app, app.response_class, use_cookies=False)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def all_text_in_database() -> str:
    """Every value of every row of every table, as one string."""
    chunks = []
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                chunks.append(repr(tuple(row)))
    return "\n".join(chunks)


# --- creating -------------------------------------------------------------------------------
def test_created_token_is_shown_once_and_stored_only_as_a_hash(as_user, users):
    kari = as_user("kari")
    response, token = create(kari)

    assert response.status_code == 201
    assert token and re.fullmatch(r"fp_[0-9a-f]{8}_[A-Za-z0-9_-]{40,}", token), token
    html = response.get_data(as_text=True)
    assert "Kopier den nå" in html and "vises bare denne ene gangen" in html

    row = db.session.execute(db.select(ApiToken)).scalar_one()
    assert (row.user_id, row.name) == (users["kari"].id, "Power BI – porteføljerapport")
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(f"fp_{row.prefix}_")
    secret = token.split("_", 2)[2]
    everything = all_text_in_database()
    assert token not in everything and secret not in everything
    assert row.token_hash in everything  # the scan does see the token table

    # Shown once: the profile page lists it by its prefix, never the whole token again.
    page = kari.get("/profile").get_data(as_text=True)
    assert token not in page and secret not in page
    assert f"fp_{row.prefix}…" in page and "Power BI – porteføljerapport" in page

    [event] = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "api_token.created")).scalars()
    assert (event.actor_id, event.object_id, event.data["prefix"]) == (users["kari"].id, row.id, row.prefix)


def test_htmx_create_swaps_only_the_token_block(as_user, users):
    kari = as_user("kari")
    token_value = csrf_token(kari, "/profile")
    response = kari.post("/profile/tokens", data={"name": "Skript", "csrf_token": token_value},
                         headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 201
    assert html.lstrip().startswith('<section id="api-tokens"') and "<html" not in html
    assert 'id="new-token"' in html


@pytest.mark.parametrize("name, message", [("", "Gi nøkkelen et navn."), ("   ", "Gi nøkkelen et navn."),
                                           ("x" * 101, "Skriv høyst 100 tegn (nå 101).")])
def test_a_token_needs_a_sensible_name(as_user, users, name, message):
    response, token = create(as_user("kari"), name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert token is None and db.session.execute(db.select(ApiToken)).first() is None


def test_creating_without_csrf_is_refused(as_user, users):
    response = as_user("kari").post("/profile/tokens", data={"name": "Uten nøkkel"})
    assert response.status_code == 400
    assert db.session.execute(db.select(ApiToken)).first() is None


def test_at_most_twenty_active_tokens(as_user, users):
    kari = as_user("kari")
    for i in range(20):
        assert create(kari, f"Nøkkel {i}")[0].status_code == 201
    response, token = create(kari, "Én for mye")
    assert response.status_code == 422 and token is None
    assert "allerede 20 aktive nøkler" in response.get_data(as_text=True)


def test_profile_needs_sign_in(client, users):
    response = client.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- using -------------------------------------------------------------------------------------
def test_token_reads_the_feed_as_its_person(as_user, api, users):
    open_project = make_project(users, title="Åpent prosjekt", stage="planning", manager="kari")
    hidden = make_project(users, title="Skjermet barnevern", stage="planning", restricted=True)
    _, per_token = create(as_user("per"))
    _, lise_token = create(as_user("lise"))

    per_items = api.get("/api/v1/projects", headers=bearer(per_token)).get_json()["items"]
    lise_items = api.get("/api/v1/projects", headers=bearer(lise_token)).get_json()["items"]

    assert [p["id"] for p in per_items] == [open_project.id]
    answer = api.get("/api/v1/projects", headers=bearer(per_token))
    assert "no-store" in answer.headers["Cache-Control"] and "Authorization" in answer.headers["Vary"]
    assert {p["id"] for p in lise_items} == {open_project.id, hidden.id}
    # The single-project endpoint honours the token too, with the same rule.
    assert api.get(f"/api/v1/projects/{hidden.id}", headers=bearer(per_token)).status_code == 404
    assert api.get(f"/api/v1/projects/{hidden.id}", headers=bearer(lise_token)).status_code == 200


def test_use_is_noted_at_most_once_a_minute(as_user, api, users):
    _, token = create(as_user("per"))
    row = db.session.execute(db.select(ApiToken)).scalar_one()
    assert row.last_used_at is None

    assert api.get("/api/v1/projects", headers=bearer(token)).status_code == 200
    first = fresh(ApiToken, row.id).last_used_at
    assert first is not None
    assert api.get("/api/v1/projects", headers=bearer(token)).status_code == 200
    assert fresh(ApiToken, row.id).last_used_at == first

    # Two minutes later the next use is written again.
    stored = fresh(ApiToken, row.id)
    stored.last_used_at = first - timedelta(minutes=2)
    db.session.commit()
    assert api.get("/api/v1/projects", headers=bearer(token)).status_code == 200
    assert fresh(ApiToken, row.id).last_used_at > first - timedelta(minutes=2)


@pytest.mark.parametrize("header", [
    "Bearer fp_00000000_" + "A" * 43,   # well-formed, unknown
    "Bearer fp_zz_notatoken",           # malformed
    "Bearer ",                          # empty
    "Basic cGVyOmRlbW8=",               # another scheme
    "Bearer",                           # no value at all
])
def test_unknown_or_malformed_token_is_401_json(api, users, header):
    response = api.get("/api/v1/projects", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] == 401 and "API-nøkkelen er ukjent" in body["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_token_is_not_rescued_by_the_session_cookie(as_user, users):
    """A browser that is signed in but sends a wrong token gets 401, not the session's data."""
    kari = as_user("kari")
    assert kari.get("/api/v1/projects").status_code == 200
    response = kari.get("/api/v1/projects", headers=bearer("fp_00000000_" + "B" * 43))
    assert response.status_code == 401


def test_a_token_with_the_right_prefix_but_wrong_secret_is_refused(as_user, api, users):
    _, token = create(as_user("per"))
    forged = token[:12] + ("A" if token[12] != "A" else "B") + token[13:]
    assert api.get("/api/v1/projects", headers=bearer(forged)).status_code == 401
    assert api.get("/api/v1/projects", headers=bearer(token)).status_code == 200


def test_token_only_opens_the_api(as_user, api, users):
    """The token is for the feed: it does not sign anyone in to the web pages."""
    _, token = create(as_user("per"))
    response = api.get("/ikt", headers=bearer(token))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_token_cannot_write(as_user, api, users):
    project = make_project(users)
    _, token = create(as_user("per"))
    response = api.post(f"/api/v1/projects/{project.id}", headers=bearer(token))
    assert response.status_code in (400, 405)  # never a change
    assert fresh(type(project), project.id).stage == "idea"


# --- revoking ------------------------------------------------------------------------------
def revoke(client, token_id, **kwargs):
    return post_form(client, f"/profile/tokens/{token_id}/revoke", page="/profile", **kwargs)


def test_revoked_token_gets_401_from_then_on(as_user, api, users):
    per = as_user("per")
    _, token = create(per)
    row = db.session.execute(db.select(ApiToken)).scalar_one()
    assert api.get("/api/v1/projects", headers=bearer(token)).status_code == 200

    response = revoke(per, row.id)
    assert response.status_code == 303 and response.headers["Location"].endswith("/profile#api-tokens")

    assert fresh(ApiToken, row.id).revoked_at is not None
    refused = api.get("/api/v1/projects", headers=bearer(token))
    assert refused.status_code == 401 and refused.get_json()["status"] == 401
    page = per.get("/profile").get_data(as_text=True)
    assert "Trukket tilbake" in page
    [event] = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "api_token.revoked")).scalars()
    assert (event.actor_id, event.object_id) == (users["per"].id, row.id)

    # Revoking again changes nothing and says so.
    again = revoke(per, row.id, headers={"HX-Request": "true"})
    assert again.status_code == 200 and "var allerede trukket tilbake" in again.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "api_token.revoked")).scalar_one() == 1


def test_someone_elses_token_cannot_be_revoked(as_user, api, users):
    _, token = create(as_user("per"))
    row = db.session.execute(db.select(ApiToken)).scalar_one()

    for name in ("kari", "admin"):
        assert revoke(as_user(name), row.id).status_code == 404, name
    assert revoke(as_user("kari"), 99999).status_code == 404
    assert fresh(ApiToken, row.id).revoked_at is None
    assert api.get("/api/v1/projects", headers=bearer(token)).status_code == 200
    # Nor does anyone else see it on their profile.
    assert f"fp_{row.prefix}" not in as_user("kari").get("/profile").get_data(as_text=True)


def test_revoking_without_csrf_is_refused(as_user, users):
    per = as_user("per")
    create(per)
    row = db.session.execute(db.select(ApiToken)).scalar_one()
    assert per.post(f"/profile/tokens/{row.id}/revoke").status_code == 400
    assert fresh(ApiToken, row.id).revoked_at is None
