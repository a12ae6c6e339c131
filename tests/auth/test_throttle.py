"""The sign-in rate limit, per username and per address, counted in the database."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db as _db
from app.models import LoginAttempt
from app.models.base import utcnow
from tests.auth.helpers import Page, audit_events, sign_in, signed_in_name

LIMITED = "For mange mislykkede forsøk"
WRONG = "Feil brukernavn eller passord."


@pytest.fixture()
def small_limits(app, monkeypatch):
    """Small limits for this test only (the app fixture is shared: monkeypatch restores)."""
    def set_limits(per_user: int = 5, per_ip: int = 30, window: int = 900):
        monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_USER", per_user)
        monkeypatch.setitem(app.config, "LOGIN_MAX_ATTEMPTS_PER_IP", per_ip)
        monkeypatch.setitem(app.config, "LOGIN_WINDOW_SECONDS", window)
    return set_limits


def _fail(client, username="ida", times=1, **kwargs):
    for _ in range(times):
        response = sign_in(client, username, "feil-passord", **kwargs)
        assert response.status_code == 401, response.status_code


def test_five_failures_lock_the_username_even_for_the_right_password(client, db):
    # The shipped default (below Active Directory's usual lock-out of 10).
    assert client.application.config["LOGIN_MAX_FAILURES_PER_USER"] == 5
    _fail(client, "ida", times=5)

    response = sign_in(client, "ida", "demo")

    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert LIMITED in html and "Vent 15 minutter" in html
    assert WRONG not in html
    assert signed_in_name(client) is None
    assert audit_events("auth.login_limited")[-1].data["username"] == "ida"


def test_four_failures_still_let_the_right_password_in(client, db):
    _fail(client, "ida", times=4)
    response = sign_in(client, "ida", "demo")
    assert response.status_code == 302
    assert "Ida Berg" in signed_in_name(client)


def test_limit_counts_the_username_whatever_its_case(client, db, small_limits):
    small_limits(per_user=2)
    _fail(client, "ida")
    _fail(client, "IDA")
    assert sign_in(client, "Ida", "demo").status_code == 429


def test_limit_on_one_username_leaves_other_people_alone(app, client, db, small_limits):
    small_limits(per_user=2)
    _fail(client, "ida", times=2)
    assert sign_in(client, "ida", "demo").status_code == 429

    other = app.test_client()
    assert sign_in(other, "kari", "demo").status_code == 302


def test_limit_on_a_username_holds_from_every_address(app, client, db, small_limits):
    small_limits(per_user=2)
    _fail(client, "ida", times=2)

    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.99"
    assert sign_in(elsewhere, "ida", "demo").status_code == 429


def test_failures_older_than_the_window_do_not_count(client, db, small_limits):
    small_limits(per_user=2, window=600)
    _fail(client, "ida", times=2)
    assert sign_in(client, "ida", "demo").status_code == 429

    for attempt in _db.session.scalars(_db.select(LoginAttempt)):
        attempt.at = utcnow() - timedelta(seconds=601)
    _db.session.commit()

    assert sign_in(client, "ida", "demo").status_code == 302


def test_per_address_limit_with_different_usernames(app, client, db, small_limits):
    small_limits(per_user=5, per_ip=3)
    for name in ("ola", "kari", "per"):
        _fail(client, name)

    response = sign_in(client, "ida", "demo")
    assert response.status_code == 429
    assert LIMITED in response.get_data(as_text=True)

    # Another address is not affected.
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.99"
    assert sign_in(elsewhere, "ida", "demo").status_code == 302


def test_limited_page_keeps_the_username_but_not_the_password(client, db, small_limits):
    small_limits(per_user=1)
    _fail(client, "ida")
    response = sign_in(client, "ida", "demo")

    page = Page(response.get_data(as_text=True))
    assert response.status_code == 429
    assert page.input_value("username") == "ida"
    assert page.input_value("password") in (None, "")


def test_successful_sign_in_forgives_earlier_failures_of_that_username(
        app, client, db, small_limits):
    """Typos before a successful sign-in do not count towards a later lock-out."""
    small_limits(per_user=3)
    _fail(client, "ida", times=2)
    assert sign_in(client, "ida", "demo").status_code == 302

    later = app.test_client()
    _fail(later, "ida", times=2)
    # 4 failures in the window, but only 2 since the successful sign-in.
    assert sign_in(later, "ida", "demo").status_code == 302

    # Without a success in between, the third failure locks the name.
    third = app.test_client()
    _fail(third, "ida", times=3)
    assert sign_in(third, "ida", "demo").status_code == 429


def test_success_of_one_person_does_not_forgive_failures_of_another(
        app, client, db, small_limits):
    small_limits(per_user=2)
    _fail(client, "ida", times=2)
    assert sign_in(app.test_client(), "kari", "demo").status_code == 302
    assert sign_in(client, "ida", "demo").status_code == 429


def test_limited_page_tells_how_long_to_wait_from_the_setting(client, db, small_limits):
    small_limits(per_user=1, window=600)
    _fail(client, "ida")
    response = sign_in(client, "ida", "demo")

    assert response.status_code == 429
    assert "Vent 10 minutter" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "600"
