"""Fixtures of the accessibility tests: the demo data loaded once per module, and
one signed-in browser context per person. Chromium, Playwright and the live server are
tests/e2e/conftest.py's, shared with every other e2e test (one browser, one server).

The demo data is loaded once per module
(loading it takes seconds); the per-test emptying of the database is postponed to the end of
the module, and so are the signed-in contexts (their sessions are in the database).
Modules run in name order: the pages are checked before the tests that change data
(test_focus_… edits a risk, test_keyboard_… adds one and approves BP1).
axe-core is a pinned devDependency read from node_modules/ (`npm ci`); it is injected with
`page.evaluate`, so these contexts bypass the CSP, which forbids inline scripts. Missing
Chromium, Playwright or axe-core skips locally and fails under CI=true.
"""
from __future__ import annotations

import re
import pytest
from sqlalchemy import inspect

from app.extensions import db as _db
from app.models import GateRequest, Project
from app.models.status_report import StatusReport
from tests.e2e.a11y.axe import AXE_PATH
from tests.e2e import CONTEXT_OPTIONS
from tests.e2e.test_sign_in_e2e import sign_in
from tests.support.ci_guard import require

#: milliseconds any action or navigation may take
TIMEOUT_MS = 10_000
#: any http(s) URL whose host is not the loopback address (as in tests/e2e/conftest.py)
_NOT_LOOPBACK = re.compile(r"^https?://(?!(127\.0\.0\.1|localhost|\[::1\])([:/]|$))")

#: the demo projects the pages are shown for
GATE_PROJECT = "Digitalt tilsyn om natten i hjemmetjenesten"  # BP1 pending, owner Ola
PLAN_PROJECT = "Trygghetsalarmer over på digitalt nett"  # execution: every tab has content


@pytest.fixture(autouse=True)
def _empty_database():
    """Overrides tests/conftest.py: the database is emptied once, when the folder is done
    (see `demo`), so the demo data need not be loaded for every page."""
    yield


def _empty(app) -> None:
    # The same as tests/conftest.py's `_empty_database`, once for the folder.
    with app.app_context():
        _db.session.remove()
        existing = set(inspect(_db.engine).get_table_names())
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                if table.name in existing:
                    conn.execute(table.delete())


@pytest.fixture(scope="module")
def demo(app) -> dict[str, int]:
    """The demo data in the test database; the ids the paths need."""
    from app.demo import load
    from app.models.change_request import ChangeRequest
    from app.models.portfolio import Programme

    _empty(app)  # whatever an earlier test left behind
    try:
        with app.app_context():
            load()  # commits
            ids = {}
            for key, title in (("gate", GATE_PROJECT), ("plan", PLAN_PROJECT)):
                ids[key] = _db.session.scalar(_db.select(Project.id).where(Project.title == title))
            ids["report"] = _db.session.scalar(
                _db.select(StatusReport.id).where(StatusReport.project_id == ids["plan"])
                .order_by(StatusReport.id.desc()).limit(1))
            ids["change"] = _db.session.scalar(_db.select(ChangeRequest.id).where(
                ChangeRequest.project_id == ids["plan"], ChangeRequest.status == "proposed").limit(1))
            ids["programme"] = _db.session.scalar(_db.select(Programme.id).order_by(Programme.id).limit(1))
            pending = _db.session.scalar(_db.select(GateRequest.status).where(
                GateRequest.project_id == ids["gate"], GateRequest.gate == "BP1"))
        assert pending == "pending" and ids["report"] and ids["change"], "the demo data changed; pick other pages"
        yield ids
    finally:
        _empty(app)


@pytest.fixture(scope="package")
def axe_source() -> str:
    require(AXE_PATH.is_file(), f"{AXE_PATH} is missing (npm ci installs axe-core)")
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def contexts(browser, live_server):
    """One browser context per person, signed in once; CSP bypassed so axe can run."""
    made: dict = {}

    def get(username: str | None):
        if username not in made:
            ctx = browser.new_context(base_url=live_server.url, bypass_csp=True, **CONTEXT_OPTIONS)
            ctx.set_default_timeout(TIMEOUT_MS)
            ctx.route(_NOT_LOOPBACK, lambda route: route.abort("blockedbyclient"))
            if username:
                pg = ctx.new_page()
                sign_in(pg, username)
                assert "/login" not in pg.url, f"{username} could not sign in"
                pg.close()
            made[username] = ctx
        return made[username]

    yield get
    for ctx in made.values():
        ctx.close()
