"""Sign-in limits: only failures count, per username and address first, then a
per-username ceiling that slows guessing without locking the person out."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from app.directory import AuthenticationFailed
from app.extensions import db as _db
from app.models import LoginAttempt
from tests.auth.helpers import Page, audit_events, sign_in, signed_in_name

LIMITED = "For mange mislykkede forsøk med dette brukernavnet"
WRONG = "Feil brukernavn eller passord."


@pytest.fixture()
def limits(app, monkeypatch):
    """Set the limits for this test only (the app fixture is shared: monkeypatch restores)."""
    def set_limits(per_pair: int = 5, per_user: int = 8, slow: int = 60, window: int = 900):
        monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_USER_AND_ADDRESS", per_pair)
        monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_USER", per_user)
        monkeypatch.setitem(app.config, "LOGIN_SLOW_SECONDS", slow)
        monkeypatch.setitem(app.config, "LOGIN_WINDOW_SECONDS", window)
    return set_limits


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _fail(client, username="ida", times=1):
    for _ in range(times):
        response = sign_in(client, username, "feil-passord")
        assert response.status_code == 401, response.status_code


def test_successful_sign_ins_never_count(app, db):
    """Staff behind one NAT: 60 sign-ins from one address in a morning, all let in."""
    office = "10.20.30.40"
    for number in range(60):
        name = ("ida", "kari", "ola", "per")[number % 4]
        response = sign_in(from_address(app, office), name, "demo")
        assert response.status_code == 302, (number, response.status_code)
    assert _db.session.scalar(_db.select(_db.func.count(LoginAttempt.id))) == 0


def test_wrong_passwords_from_elsewhere_do_not_lock_the_person_out(app, db):
    # The shipped defaults: 5 per username and address, 8 per username.
    assert app.config["LOGIN_MAX_FAILURES_PER_USER_AND_ADDRESS"] == 5
    assert app.config["LOGIN_MAX_FAILURES_PER_USER"] == 8
    _fail(from_address(app, "192.0.2.66"), "ola", times=5)

    ola = from_address(app, "10.1.1.10")
    response = sign_in(ola, "ola", "demo")
    assert response.status_code == 302
    assert "Ola Nordmann" in signed_in_name(ola)


def test_the_guessing_address_is_held_back_and_told_when(app, db, limits):
    limits(per_pair=5, window=900)
    guesser = from_address(app, "192.0.2.66")
    _fail(guesser, "ola", times=5)

    response = sign_in(guesser, "ola", "demo")
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert LIMITED in html and "Vent 15 minutter og prøv igjen (kl. " in html
    assert WRONG not in html
    assert 880 <= int(response.headers["Retry-After"]) <= 900
    assert audit_events("auth.login_limited")[-1].data["username"] == "ola"
    # Other names from the same address are not affected.
    assert sign_in(guesser, "kari", "demo").status_code == 302


def test_four_typos_still_let_the_right_password_in(app, client, db):
    _fail(client, "ida", times=4)
    response = sign_in(client, "ida", "demo")
    assert response.status_code == 302
    assert "Ida Berg" in signed_in_name(client)


def test_limit_counts_the_username_whatever_its_case(client, db, limits):
    limits(per_pair=2)
    _fail(client, "ida")
    _fail(client, "IDA")
    assert sign_in(client, "Ida", "demo").status_code == 429


def test_ceiling_slows_the_name_but_a_clean_address_still_signs_in(app, db, limits):
    limits(per_pair=5, per_user=4, slow=60)
    for number in range(4):  # four addresses, one wrong password each: the ceiling
        _fail(from_address(app, f"192.0.2.{number + 1}"), "ola")

    # An address that has been guessing for ola is held back, even with the right password.
    assert sign_in(from_address(app, "192.0.2.1"), "ola", "demo").status_code == 429

    # A new address within LOGIN_SLOW_SECONDS of the last failure waits a short while...
    response = sign_in(from_address(app, "10.1.1.10"), "ola", "demo")
    assert response.status_code == 429
    assert "Vent" in response.get_data(as_text=True) and "sekunder" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) <= 60

    # ...and once that has passed, Ola's right password from his own PC signs him in.
    _age_attempts(seconds=61)
    ola = from_address(app, "10.1.1.10")
    assert sign_in(ola, "ola", "demo").status_code == 302
    assert "Ola Nordmann" in signed_in_name(ola)


def test_in_slow_mode_a_guesser_gets_one_try_per_interval(app, db, limits):
    limits(per_pair=5, per_user=3, slow=60)
    _fail(from_address(app, "192.0.2.1"), "ola", times=3)
    _age_attempts(seconds=61)
    _fail(from_address(app, "192.0.2.50"), "ola")  # the one try of this interval
    assert sign_in(from_address(app, "192.0.2.51"), "ola", "feil").status_code == 429


def test_failures_older_than_the_window_do_not_count(client, db, limits):
    limits(per_pair=2, window=600)
    _fail(client, "ida", times=2)
    assert sign_in(client, "ida", "demo").status_code == 429

    _age_attempts(seconds=601)
    assert sign_in(client, "ida", "demo").status_code == 302


def test_success_forgets_this_address_failures_but_not_a_guessers(app, db, limits):
    limits(per_pair=3, per_user=8)
    ida = from_address(app, "10.1.1.20")
    _fail(ida, "ida", times=2)
    _fail(from_address(app, "192.0.2.66"), "ida", times=3)
    assert sign_in(ida, "ida", "demo").status_code == 302

    later = from_address(app, "10.1.1.20")
    _fail(later, "ida", times=2)
    assert sign_in(later, "ida", "demo").status_code == 302  # her typos were forgiven
    assert sign_in(from_address(app, "192.0.2.66"), "ida", "demo").status_code == 429


def test_limited_page_keeps_the_username_but_not_the_password(client, db, limits):
    limits(per_pair=1)
    _fail(client, "ida")
    response = sign_in(client, "ida", "demo")

    page = Page(response.get_data(as_text=True))
    assert response.status_code == 429
    assert page.input_value("username") == "ida"
    assert page.input_value("password") in (None, "")


def test_parallel_wrong_passwords_reach_the_directory_no_more_than_the_limit(app, db, limits):
    """The check and the count are one step: 40 at once from one address -> exactly 5
    binds; 40 at once from 40 addresses -> the ceiling and one slow-mode try at most."""
    limits(per_pair=5, per_user=8, slow=60)
    directory = app.extensions["faseport_directory"]
    calls: list[str] = []
    lock = threading.Lock()
    real = directory.authenticate

    def counting(username, password):
        with lock:
            calls.append(username)
        return real(username, password)

    directory.authenticate = counting
    try:
        _race(app, [("192.0.2.9", "ola")] * 40)
        assert calls.count("ola") == 5

        _race(app, [(f"198.51.100.{n}", "kari") for n in range(1, 41)])
        assert 8 <= calls.count("kari") <= 9
    finally:
        del directory.authenticate


def _race(app, who: list[tuple[str, str]]) -> None:
    from tests.support.factories import csrf_token

    clients = [from_address(app, address) for address, _name in who]
    tokens = [csrf_token(client, "/login") for client in clients]
    start = threading.Barrier(len(who))
    codes: list[int] = []

    def attempt(client, token, name):
        start.wait()
        response = client.post("/login", data={"username": name, "password": "feil",
                                               "csrf_token": token})
        codes.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=(client, token, name))
               for client, token, (_address, name) in zip(clients, tokens, who)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(set(codes)) == [401, 429]


def test_a_refused_account_counts_like_a_wrong_password(app, client, db, limits, monkeypatch):
    limits(per_pair=2)
    directory = app.extensions["faseport_directory"]

    def locked(username, password):
        raise AuthenticationFailed("775 account locked")

    monkeypatch.setattr(directory, "authenticate", locked)
    _fail(client, "ida", times=2)
    assert sign_in(client, "ida", "demo").status_code == 429


def _age_attempts(seconds: int) -> None:
    for attempt in _db.session.scalars(_db.select(LoginAttempt)):
        attempt.at = attempt.at - timedelta(seconds=seconds)
    _db.session.commit()
