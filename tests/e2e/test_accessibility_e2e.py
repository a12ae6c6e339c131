"""Accessibility in Chromium: axe-core finds no WCAG 2.1 A/AA violation on the key pages,
and the gate decision form can be used with the keyboard alone.

The demo data is loaded once for this module (loading it takes seconds, and no test here
changes anything), so the per-test emptying of the database is postponed to the end of the
module. axe-core is a pinned devDependency read from node_modules/ (`npm ci`); it is
injected with `page.evaluate`, so these contexts bypass the CSP, which forbids inline
scripts. Missing Chromium, Playwright or axe-core skips locally and fails under CI=true.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import inspect

from app.extensions import db as _db
from app.models import GateRequest, Project
from app.models.status_report import StatusReport
from tests.e2e import CONTEXT_OPTIONS, screenshot
from tests.e2e.test_sign_in_e2e import sign_in
from tests.support.ci_guard import require

pytestmark = pytest.mark.e2e

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: the WCAG levels the municipality must meet (2.1 AA), and nothing else (no best practices);
#: details for violations only, which keeps a run fast
AXE_RUN = """async () => await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
})"""
#: milliseconds any action or navigation may take
TIMEOUT_MS = 10_000
#: any http(s) URL whose host is not the loopback address (as in conftest.py)
_NOT_LOOPBACK = re.compile(r"^https?://(?!(127\.0\.0\.1|localhost|\[::1\])([:/]|$))")

#: the demo projects the pages are shown for
GATE_PROJECT = "Digitalt tilsyn om natten i hjemmetjenesten"  # BP1 pending, owner Ola
PLAN_PROJECT = "Trygghetsalarmer over på digitalt nett"  # execution: every tab has content

#: (test id, who is signed in (None: nobody), path; {gate}/{plan}/{report} are filled in)
PAGES = [
    ("login", None, "/login"),
    ("mitt", "ola", "/"),
    ("idea-new", "ola", "/ideas/new"),
    ("idea-new-errors", "ola", "/ideas/new#submit-empty"),
    ("projects", "ola", "/projects/"),
    ("project-overview", "ola", "/projects/{plan}"),
    ("gate-bp1-decision", "ola", "/projects/{gate}/gates/BP1"),
    ("gate-bp2", "ola", "/projects/{gate}/gates/BP2"),
    ("roles", "kari", "/projects/{plan}/roles"),
    ("plan", "kari", "/projects/{plan}/plan"),
    ("milestones", "kari", "/projects/{plan}/milestones"),
    ("economy", "kari", "/projects/{plan}/economy"),
    ("steering-document-draft", "ola", "/projects/{plan}/plan/styringsdokument"),
    ("benefits", "kari", "/projects/{plan}/benefits"),
    ("risks", "kari", "/projects/{plan}/risks"),
    ("stakeholders", "kari", "/projects/{plan}/stakeholders"),
    ("status", "kari", "/projects/{plan}/status"),
    ("status-report", "ola", "/projects/{plan}/status/{report}"),
    ("changes", "ola", "/projects/{plan}/changes"),
    ("tasks", "kari", "/projects/{plan}/tasks"),
    ("history", "ola", "/projects/{plan}/history"),
    ("notifications", "ola", "/notifications/"),
    ("portfolio", "lise", "/portfolio"),
    ("portfolio-priorities", "lise", "/portfolio/priorities"),
    ("ikt", "per", "/ikt"),
    ("personvern", "siri", "/personvern"),
    ("profile", "ola", "/profile"),
    ("owner-grants", "admin", "/people/owners"),
    ("not-found", "ola", "/finnes-ikke"),
]

#: (axe rule id, CSS selector of the elements it is not checked on, why), on every page.
#: Only for what cannot be fixed (or is a false positive); everything else is fixed.
EXCLUSIONS: list[tuple[str, str, str]] = []


@pytest.fixture(autouse=True)
def _empty_database():
    """Overrides tests/conftest.py: the database is emptied once, when the module ends
    (see `demo`), so the demo data need not be loaded for every page."""
    yield


def _empty(app) -> None:
    # The same as tests/conftest.py's `_empty_database`, once for the module.
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
            pending = _db.session.scalar(_db.select(GateRequest.status).where(
                GateRequest.project_id == ids["gate"], GateRequest.gate == "BP1"))
        assert pending == "pending" and ids["report"], "the demo data changed; pick other pages"
        yield ids
    finally:
        _empty(app)


@pytest.fixture(scope="module")
def axe_source() -> str:
    require(AXE_PATH.is_file(), f"{AXE_PATH} is missing (npm ci installs axe-core)")
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def contexts(browser, live_server):  # noqa: F811 - fixture from conftest
    """One browser context per person, signed in once; CSP bypassed so axe can run."""
    made: dict = {}

    def get(username: str | None):
        if username not in made:
            ctx = browser.new_context(base_url=live_server.url, bypass_csp=True, **CONTEXT_OPTIONS)
            ctx.set_default_timeout(TIMEOUT_MS)
            ctx.route(_NOT_LOOPBACK, lambda route: route.abort("blockedbyclient"))
            if username:
                page = ctx.new_page()
                sign_in(page, username)
                assert "/login" not in page.url, f"{username} could not sign in"
                page.close()
            made[username] = ctx
        return made[username]

    yield get
    for ctx in made.values():
        ctx.close()


def _format(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    {' > '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def run_axe(page, axe_source: str) -> list[dict]:
    """axe's WCAG 2.1 A/AA violations on the page, minus the listed exclusions."""
    page.evaluate(axe_source)
    result = page.evaluate(AXE_RUN)
    violations = []
    for v in result["violations"]:
        skip = [sel for rule, sel, _why in EXCLUSIONS if rule == v["id"]]
        nodes = [n for n in v["nodes"] if not (skip and page.evaluate(
            "([target, sels]) => { const el = document.querySelector(target);"
            " return !!el && sels.some(s => el.matches(s)); }",
            [n["target"][-1], skip]))]
        if nodes:
            violations.append({**v, "nodes": nodes})
    return violations


@pytest.mark.parametrize(("page_id", "username", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_wcag_violations(page_id, username, path, demo, contexts, axe_source):
    page = contexts(username).new_page()
    try:
        url, _, fragment = path.format(**demo).partition("#")
        response = page.goto(url)
        assert response is not None
        assert response.status == (404 if page_id == "not-found" else 200), f"{url}: {response.status}"
        if fragment == "submit-empty":
            page.get_by_role("button", name="Send inn").click()
            page.locator("#error-summary").wait_for()
        violations = run_axe(page, axe_source)
        if violations:
            screenshot(page, f"FAILED-a11y-{page_id}")
        assert not violations, f"axe found WCAG violations on {url}:\n{_format(violations)}"
    finally:
        page.close()


def test_the_people_picker_open_has_no_wcag_violations(demo, contexts, axe_source):
    """The combobox with its listbox open and an option active (the state axe cannot
    reach by loading a page)."""
    page = contexts("ida").new_page()
    try:
        page.goto("/ideas/new")
        box = page.get_by_role("combobox", name="Foreslått prosjekteier")
        box.fill("")
        with page.expect_response(lambda r: "/people/search" in r.url):
            box.press_sequentially("helse", delay=20)
        page.get_by_role("option").first.wait_for()
        box.press("ArrowDown")
        assert box.get_attribute("aria-expanded") == "true"
        assert box.get_attribute("aria-activedescendant") == "owner_username-listbox-0"
        violations = run_axe(page, axe_source)
        if violations:
            screenshot(page, "FAILED-a11y-people-picker-open")
        assert not violations, f"axe found WCAG violations in the open people picker:\n{_format(violations)}"
    finally:
        page.close()


def _focused(page) -> str:
    """A short description of the focused element: tag#id[name] or its text."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el) return '';
        return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.name ? '[' + el.name + ']' : '') + ':' + (el.textContent || '').trim().slice(0, 40);
    }""")


def test_gate_decision_form_works_with_the_keyboard(demo, contexts):
    page = contexts("ola").new_page()
    try:
        page.goto(f"/projects/{demo['gate']}/gates/BP1")
        # The first Tab reaches the skip link, and following it puts focus on <main>.
        page.locator("body").focus()
        page.keyboard.press("Tab")
        assert _focused(page) == "a:Hopp til hovedinnhold"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

        # From there, Tab walks through the decision form in reading order.
        form = page.locator("form[action$='/decide']")
        names = {"decision", "comment", "postpone_until", "confirm_owner", "manager_username"}
        reached: list[str] = []
        for _ in range(150):
            page.keyboard.press("Tab")
            inside, name, kind = page.evaluate("""() => {
                const el = document.activeElement;
                const form = document.querySelector("form[action$='/decide']");
                return [!!(form && form.contains(el)), el.name || '', el.type || ''];
            }""")
            if inside:
                if kind == "submit":
                    reached.append("submit")
                    break
                if name in names and name not in reached:
                    reached.append(name)
        assert form.count() == 1
        # A radio group is one Tab stop; the manager field is a people search box.
        assert reached == ["decision", "comment", "postpone_until", "confirm_owner",
                           "manager_username", "submit"], reached
    finally:
        page.close()
