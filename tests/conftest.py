"""Shared fixtures: `app`, `client`, `db`, factories and sign-in helpers.

The database is built once per run by the Alembic migrations (SQLite in a temporary file,
or the PostgreSQL server named by TEST_DATABASE_URL) and emptied after every test that
used it, so tests that commit from several threads (concurrency) behave as in production.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from flask import g, request_started
from flask_migrate import upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db as _db
from config import TestConfig

pytest_plugins = ["tests.support.ci_guard", "tests.support.factories", "tests.support.smtp",
                  "tests.support.browser"]


def _database_url(tmp: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp / 'test.db'}"


@pytest.fixture(scope="session")
def app():
    with tempfile.TemporaryDirectory(prefix="faseport-test-") as tmp:
        class Config(TestConfig):
            SQLALCHEMY_DATABASE_URI = _database_url(Path(tmp))
            # Rendering a PDF/A takes a few tenths of a second per decision: the tests that
            # look at the frozen PDFs switch it on (the `decision_pdfs` fixture); the others
            # still render the documents' HTML at every decision, only not the PDF.
            DECISION_PDFS = False
            SQLALCHEMY_ENGINE_OPTIONS = (
                {"connect_args": {"timeout": 15}}
                if SQLALCHEMY_DATABASE_URI.startswith("sqlite") else {"pool_pre_ping": True}
            )

        application = create_app(Config)
        with application.app_context():
            upgrade()
        yield application
        with application.app_context():
            _db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_database(request):
    """After each test that used the database, delete every row (but the schema)."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        _db.session.remove()
        existing = set(inspect(_db.engine).get_table_names())
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                if table.name in existing:
                    conn.execute(table.delete())


@pytest.fixture(autouse=True)
def _fresh_request_globals(request):
    """Give every request an empty `g`, as a real server does.

    While the `db` fixture holds an application context, test-client requests reuse it,
    so Flask-Login's cached user and Flask-WTF's token would survive between requests.
    """
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")

    def clear(sender, **extra):
        vars(g).clear()

    request_started.connect(clear, application)
    yield
    request_started.disconnect(clear, application)


@pytest.fixture()
def db(app):
    """The database inside an app context, for setting up data directly."""
    with app.app_context():
        yield _db
        _db.session.remove()


@pytest.fixture()
def decision_pdfs(app):
    """Gate decisions in this test store their PDF/A files, as in production."""
    app.config["DECISION_PDFS"] = True
    yield
    app.config["DECISION_PDFS"] = False


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def htmx(app):
    """A test client whose requests say they come from htmx."""
    c = app.test_client()
    c.environ_base["HTTP_HX_REQUEST"] = "true"
    return c
