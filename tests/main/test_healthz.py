"""/healthz: what a load balancer or monitoring sees."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from app.extensions import db as _db


@pytest.fixture()
def directory(app):
    return app.extensions["faseport_directory"]


def test_healthy_site_answers_200_with_every_check_ok(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.is_json
    assert response.get_json() == {"status": "ok", "database": "ok", "directory": "ok",
                                   "directory_servers": {"demo": "ok"}}


def test_healthz_needs_no_sign_in_and_sets_no_session(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert not [h for h in response.headers.getlist("Set-Cookie") if "faseport_session" in h]


def test_directory_down_gives_503_degraded(client, db, directory, monkeypatch):
    monkeypatch.setattr(directory, "server_status", lambda: {"demo": False})

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {
        "status": "degraded", "database": "ok", "directory": "unavailable",
        "directory_servers": {"demo": "unavailable"}}


def test_directory_ping_that_raises_counts_as_down(client, db, directory, monkeypatch):
    def broken():
        raise RuntimeError("socket closed")

    monkeypatch.setattr(directory, "server_status", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["directory"] == "unavailable"


def test_database_unreachable_gives_503(client, db, monkeypatch):
    real_execute = _db.session.execute

    def execute(statement, *args, **kwargs):
        if "SELECT 1" in str(statement):
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))
        return real_execute(statement, *args, **kwargs)

    monkeypatch.setattr(_db.session, "execute", execute)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {
        "status": "degraded", "database": "unavailable", "directory": "ok",
        "directory_servers": {"demo": "ok"}}


def test_everything_down(client, db, directory, monkeypatch):
    monkeypatch.setattr(directory, "server_status", lambda: {"demo": False})
    monkeypatch.setattr(_db.session, "execute", lambda *a, **k: (_ for _ in ()).throw(
        OperationalError("SELECT 1", {}, Exception("down"))))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "degraded", "database": "unavailable", "directory": "unavailable",
        "directory_servers": {"demo": "unavailable"}}
