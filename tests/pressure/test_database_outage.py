"""The database goes away mid-run and comes back: every page answers 503 with a calm
Norwegian page and Retry-After, a form being saved says nothing was saved and keeps what
was typed (full page and htmx), the log has one line for the outage rather than a
traceback per request, and the site recovers by itself.

The test starts its own PostgreSQL (tests/support/postgres.py), so stopping it disturbs
no other test; it runs in both passes of `make test`.
"""
from __future__ import annotations

import contextlib
import logging
import signal
import urllib.error
import urllib.parse
import urllib.request

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.support.factories import CSRF_RE, login_as, make_user
from tests.support.live_server import LiveServer
from tests.support.postgres import PostgresCluster


def _get(url, cookie, data=None, headers=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookie, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture()
def own_postgres():
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.stop()


def _stop_server(cluster: PostgresCluster) -> None:
    proc, cluster._proc = cluster._proc, None
    proc.send_signal(signal.SIGINT)  # PostgreSQL's fast shutdown: connections are cut
    proc.wait(30)


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.mark.own_database
def test_pages_answer_503_while_postgres_is_down_and_recover(own_postgres):
    caplog = _Lines()  # every record of the app, from the server's threads too
    for name in ("", "faseport.database", "app", "werkzeug"):
        logging.getLogger(name).addHandler(caplog)
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = own_postgres.url
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}}
        WTF_CSRF_ENABLED = True

    app = create_app(Config)
    with app.app_context():
        upgrade()
        client = app.test_client()
        user = make_user("kari", display_name="Kari Nordmann")
        login_as(client, user)
        cookie = f"{app.config['SESSION_COOKIE_NAME']}={client.get_cookie(app.config['SESSION_COOKIE_NAME']).value}"
        db.session.remove()
    with LiveServer(app) as server:
        status, html, headers = _get(server.url + "/ideas/new", cookie)
        assert status == 200
        token = CSRF_RE.search(html).group(1)
        cookie = headers["Set-Cookie"].split(";")[0]  # the session now holds the CSRF secret

        _stop_server(own_postgres)
        answers = [_get(server.url + path, cookie) for path in ("/", "/portfolio", "/projects", "/ideas/new") * 3]
        assert {a[0] for a in answers} == {503}
        status, html, headers = answers[0]
        assert "Faseport er midlertidig utilgjengelig, prøv igjen om litt." in html
        assert headers["Retry-After"].isdigit()
        assert "Traceback" not in html and "OperationalError" not in html

        typed = {"csrf_token": token, "title": "Trygg hjemme med sensorer",
                 "need": "Nattevakter bruker mye tid på tilsyn som sensorer kunne gjort."}
        status, html, _ = _get(server.url + "/ideas/new", cookie, typed)
        assert status == 503
        assert "Det du sendte ble ikke lagret." in html
        assert "Trygg hjemme med sensorer" in html and "Nattevakter bruker mye tid" in html  # kept
        # under the labels the form showed, not the fields' names
        assert ">Tittel</label>" in html and ">Behov eller problem</label>" in html
        assert ">title</label>" not in html and ">need</label>" not in html
        status, html, headers = _get(server.url + "/ideas/new", cookie, typed, {"HX-Request": "true"})
        assert status == 503 and "Ingenting ble lagret" in html and "<html" not in html
        assert _get(server.url + "/api/v1/projects", cookie)[0] == 503

        outage_lines = {id(r): r for r in caplog.records if "database unreachable" in r.getMessage()}
        assert len(outage_lines) == 1, [r.getMessage()[:80] for r in caplog.records]
        assert not any(r.exc_info for r in caplog.records if r.levelno >= logging.ERROR)

        assert own_postgres._launch()  # the same data directory and port
        statuses = [_get(server.url + "/", cookie)[0] for _ in range(3)]
        assert statuses[-1] == 200, statuses
        assert any("database reachable again" in r.getMessage() for r in caplog.records)
    for name in ("", "faseport.database", "app", "werkzeug"):
        logging.getLogger(name).removeHandler(caplog)
    with app.app_context(), contextlib.suppress(Exception):
        db.engine.dispose()
