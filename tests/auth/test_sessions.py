"""Server-side sessions: fresh at sign-in, really ended at sign-out, ended when idle."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db as _db
from app.models.base import utcnow
from tests.auth.helpers import (
    COOKIE,
    Page,
    audit_events,
    cookie_value,
    location_path,
    login_next,
    session_rows,
    sign_in,
    signed_in_name,
)
from tests.support.factories import csrf_token, login_as, make_user

EXPIRED = "Økten din var utløpt"


def _client_with_cookie(app, value: str):
    """A second browser that was handed a copy of someone's session cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, value)
    return other


def _sign_out(client):
    return client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


# --- a fresh session at sign-in ---------------------------------------------------------
def test_sign_in_starts_a_fresh_session_the_earlier_cookie_is_worthless(app, client, db):
    """Session fixation: whatever cookie the browser had before signing in (here a live
    session of someone else) must not be valid afterwards."""
    login_as(client, make_user("ola", display_name="Ola Nordmann"))
    before = cookie_value(client)
    assert "Ola Nordmann" in signed_in_name(_client_with_cookie(app, before))

    data = {"username": "ida", "password": "demo", "csrf_token": csrf_token(client, "/")}
    assert client.post("/login", data=data).status_code == 302

    after = cookie_value(client)
    assert after != before
    assert "Ida Berg" in signed_in_name(client)
    assert signed_in_name(_client_with_cookie(app, before)) is None
    assert len(session_rows()) == 1


def test_anonymous_cookie_from_before_sign_in_does_not_become_signed_in(app, client, db):
    client.get("/login")
    before = cookie_value(client)
    assert before

    sign_in(client, "ida", "demo")

    assert cookie_value(client) != before
    assert signed_in_name(_client_with_cookie(app, before)) is None


def test_each_sign_in_gets_its_own_session(app, db):
    first, second = app.test_client(), app.test_client()
    sign_in(first, "ida", "demo")
    sign_in(second, "ida", "demo")

    assert cookie_value(first) != cookie_value(second)
    assert len({row.token_hash for row in session_rows()}) == 2
    # The token itself is never stored, only its hash.
    assert all(row.token_hash not in (cookie_value(first), cookie_value(second))
               for row in session_rows())
    assert "Ida Berg" in signed_in_name(first) and "Ida Berg" in signed_in_name(second)


# --- signing out ------------------------------------------------------------------------
def test_sign_out_needs_post(client, db, users):
    login_as(client, users["ida"])
    response = client.get("/logout")

    assert response.status_code == 405
    assert "Ikke tillatt" in response.get_data(as_text=True)
    assert "Ida Berg" in signed_in_name(client)


def test_sign_out_without_csrf_token_is_refused_and_keeps_the_session(client, db, users):
    login_as(client, users["ida"])
    response = client.post("/logout")

    assert response.status_code == 400
    assert "Ida Berg" in signed_in_name(client)


def test_sign_out_ends_the_session_on_the_server_a_copied_cookie_stops_working(
        app, client, db):
    sign_in(client, "ida", "demo")
    copied = cookie_value(client)
    assert "Ida Berg" in signed_in_name(_client_with_cookie(app, copied))

    response = _sign_out(client)

    assert response.status_code == 302
    assert location_path(response) == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "Du er logget ut." in page
    assert session_rows() == []
    assert signed_in_name(client) is None

    thief = _client_with_cookie(app, copied)
    response = thief.get("/")
    assert response.status_code == 302
    assert login_next(response.headers["Location"]) == "/"


def test_sign_out_is_audited_with_ip(client, db):
    sign_in(client, "ida", "demo")
    _sign_out(client)

    [event] = audit_events("auth.logout")
    assert event.actor.username == "ida"
    assert event.ip == "127.0.0.1"


def test_sign_out_ends_only_this_browsers_session(app, db):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "ida", "demo")
    sign_in(phone, "ida", "demo")

    _sign_out(laptop)

    assert signed_in_name(laptop) is None
    assert "Ida Berg" in signed_in_name(phone)


def test_header_sign_out_button_posts_with_a_csrf_token(client, db, users):
    """The "Logg ut" button in the header is a real form, so it works without JavaScript."""
    login_as(client, users["ida"])
    page = Page(client.get("/").get_data(as_text=True))
    [form] = [a for a in page.find("form") if a.get("action") == "/logout"]
    assert form["method"].lower() == "post"
    token = [a["value"] for a in page.find("input", name="csrf_token")][0]

    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert signed_in_name(client) is None


# --- idle timeout -----------------------------------------------------------------------
def _idle_for(minutes: float) -> None:
    for row in session_rows():
        row.last_seen_at = utcnow() - timedelta(minutes=minutes)
    _db.session.commit()


def test_idle_session_ends_and_the_login_page_says_why(client, db, users):
    login_as(client, users["ida"])
    _idle_for(61)  # SESSION_IDLE_MINUTES is 60

    response = client.get("/")
    assert response.status_code == 302
    assert login_next(response.headers["Location"]) == "/"
    assert session_rows() == []

    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert EXPIRED in login_page
    # The notice is shown once, not on every later visit to the login page.
    assert EXPIRED not in client.get("/login").get_data(as_text=True)


def test_idle_limit_comes_from_settings(app, client, db, users, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    login_as(client, users["ida"])
    _idle_for(6)

    assert signed_in_name(client) is None


def test_activity_keeps_the_session_alive(client, db, users):
    login_as(client, users["ida"])
    _idle_for(50)

    assert "Ida Berg" in signed_in_name(client)
    [row] = session_rows()
    _db.session.refresh(row)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    # 50 more minutes later the session is still alive, since the clock was reset.
    _idle_for(50)
    assert "Ida Berg" in signed_in_name(client)


def test_session_ends_after_the_maximum_lifetime_even_when_active(app, client, db, users):
    login_as(client, users["ida"])
    [row] = session_rows()
    row.created_at = utcnow() - app.config["PERMANENT_SESSION_LIFETIME"] - timedelta(minutes=1)
    _db.session.commit()

    assert signed_in_name(client) is None


# --- htmx without a session -------------------------------------------------------------
def test_htmx_request_without_session_gets_401_and_hx_redirect_to_login(htmx, db):
    response = htmx.get("/people/search?q=ida&field=owner",
                        headers={"HX-Current-URL": "http://localhost/ideas/new?step=2"})

    assert response.status_code == 401
    assert response.get_data(as_text=True) == ""
    # Back to the page the person was on, not to the fragment URL.
    assert login_next(response.headers["HX-Redirect"]) == "/ideas/new?step=2"


def test_htmx_request_without_current_url_still_redirects_to_login(htmx, db):
    response = htmx.get("/")
    assert response.status_code == 401
    assert login_next(response.headers["HX-Redirect"]) in ("/", None)


def test_htmx_request_with_expired_session_gets_hx_redirect(htmx, db, users):
    login_as(htmx, users["ida"])
    _idle_for(61)

    response = htmx.get("/people/search?q=ida", headers={"HX-Current-URL": "http://localhost/"})
    assert response.status_code == 401
    assert login_next(response.headers["HX-Redirect"]) == "/"


def test_htmx_post_without_session_redirects_to_login_from_the_current_page(htmx, db):
    token = csrf_token(htmx, "/login")  # an anonymous visitor has a CSRF token too
    response = htmx.post("/logout", headers={
        "X-CSRFToken": token, "HX-Current-URL": "http://localhost/projects/7"})

    assert response.status_code == 401
    assert "<html" not in response.get_data(as_text=True)
    assert login_next(response.headers["HX-Redirect"]) == "/projects/7"


# --- cookie flags -----------------------------------------------------------------------
def _session_set_cookie(response) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "=")]
    return header


def test_session_cookie_is_httponly_and_samesite_lax(client, db):
    response = sign_in(client, "ida", "demo")
    header = _session_set_cookie(response)
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # SESSION_COOKIE_SECURE is off in tests (plain http)


def test_session_cookie_is_secure_when_configured(app, client, db, monkeypatch):
    token = csrf_token(client, "/login")
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    response = client.post("/login", data={"username": "ida", "password": "demo",
                                           "csrf_token": token})
    assert response.status_code == 302
    header = _session_set_cookie(response)
    assert "Secure" in header
    assert "HttpOnly" in header and "SameSite=Lax" in header


@pytest.mark.parametrize("path", ["/", "/people/search?q=ida"])
def test_pages_need_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert login_next(response.headers["Location"]) == path
