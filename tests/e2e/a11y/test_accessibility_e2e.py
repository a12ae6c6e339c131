"""Every page in Chromium: axe-core finds no WCAG 2.1 A/AA violation, and at 320 CSS px the
page does not scroll sideways (WCAG 1.4.10: wide tables scroll inside their own box).

Each page is shown as the person who uses it; every persona's front page is there too.
Fixtures (demo data, signed-in contexts, axe) are in tests/e2e/a11y/conftest.py.
"""
from __future__ import annotations

import pytest

from tests.e2e.a11y.axe import format_violations, overflow_at_reflow_width, run_axe
from tests.e2e import screenshot

#: (test id, who is signed in (None: nobody), path, expected status); {gate}, {plan},
#: {report}, {change} and {programme} are filled in from the demo data
PAGES = [
    ("login", None, "/login", 200),
    ("idea-new", "ida", "/ideas/new", 200),
    ("idea-new-errors", "ola", "/ideas/new#submit-empty", 200),
    ("projects", "ola", "/projects/", 200),
    ("projects-filtered", "ola", "/projects/?stage=execution", 200),
    ("project-overview-running", "ola", "/projects/{plan}", 200),
    ("project-overview-idea", "ida", "/projects/{gate}", 200),
    ("gate-bp1-decision", "ola", "/projects/{gate}/gates/BP1", 200),
    ("gate-bp2", "ola", "/projects/{gate}/gates/BP2", 200),
    ("gate-bp3", "kari", "/projects/{plan}/gates/BP3", 200),
    ("gate-bp4", "kari", "/projects/{plan}/gates/BP4", 200),
    ("gate-bp5", "ola", "/projects/{plan}/gates/BP5", 200),
    ("gate-bp6", "ola", "/projects/{plan}/gates/BP6", 200),
    ("roles", "kari", "/projects/{plan}/roles", 200),
    ("plan", "kari", "/projects/{plan}/plan", 200),
    ("milestones", "kari", "/projects/{plan}/milestones", 200),
    ("economy", "kari", "/projects/{plan}/economy", 200),
    ("print-proposal", "ola", "/projects/{plan}/plan/prosjektforslag", 200),
    ("print-steering-document", "ola", "/projects/{plan}/plan/styringsdokument", 200),
    ("print-final-report", "ola", "/projects/{plan}/plan/sluttrapport", 200),
    ("benefits", "kari", "/projects/{plan}/benefits", 200),
    ("risks", "kari", "/projects/{plan}/risks", 200),
    ("risks-cell", "kari", "/projects/{plan}/risks?p=4&c=4", 200),
    ("itposmo-edit", "kari", "/projects/{plan}/risks/itposmo/edit", 200),
    ("stakeholders", "kari", "/projects/{plan}/stakeholders", 200),
    ("status", "kari", "/projects/{plan}/status", 200),
    ("status-report", "ola", "/projects/{plan}/status/{report}", 200),
    ("status-report-new", "kari", "/projects/{plan}/status/new", 200),
    ("changes", "ola", "/projects/{plan}/changes", 200),
    ("change-edit", "kari", "/projects/{plan}/changes/{change}/edit", 200),
    ("tasks", "kari", "/projects/{plan}/tasks", 200),
    ("history", "ola", "/projects/{plan}/history", 200),
    ("notifications", "ola", "/notifications/", 200),
    ("portfolio", "lise", "/portfolio", 200),
    ("portfolio-filtered", "lise", "/portfolio?stage=execution&sort=budget&dir=desc", 200),
    ("portfolio-paged", "lise", "/portfolio?per_page=10&page=2", 200),
    ("portfolio-benefits", "lise", "/portfolio/benefits", 200),
    ("portfolio-priorities", "lise", "/portfolio/priorities", 200),
    ("portfolio-scoring", "lise", "/portfolio/priorities/{gate}", 200),
    ("programmes", "lise", "/portfolio/programmes", 200),
    ("programme", "lise", "/portfolio/programmes/{programme}", 200),
    ("ikt", "per", "/ikt", 200),
    ("personvern", "siri", "/personvern", 200),
    ("dpia-assessment", "siri", "/personvern/{plan}/vurdering", 200),
    ("profile", "ola", "/profile", 200),
    ("owner-grants", "admin", "/people/owners", 200),
    ("forbidden", "ida", "/people/owners", 403),
    ("not-found", "ola", "/finnes-ikke", 404),
] + [(f"mitt-{who}", who, "/", 200) for who in ("ida", "ola", "kari", "per", "siri", "lise", "admin")]


@pytest.mark.parametrize(("page_id", "username", "path", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_wcag_violations_and_reflows(page_id, username, path, status, demo, contexts, axe_source):
    page = contexts(username).new_page()
    try:
        url, _, fragment = path.format(**demo).partition("#")
        response = page.goto(url)
        assert response is not None
        assert response.status == status, f"{url}: {response.status}"
        if fragment == "submit-empty":
            page.get_by_role("button", name="Send inn").click()
            page.locator("#error-summary").wait_for()
        violations = run_axe(page, axe_source)
        if violations:
            screenshot(page, f"FAILED-a11y-{page_id}")
        assert not violations, f"axe found WCAG violations on {url}:\n{format_violations(violations)}"
        extra, culprits = overflow_at_reflow_width(page)
        if extra > 0:
            page.set_viewport_size({"width": 320, "height": 800})
            screenshot(page, f"FAILED-reflow-{page_id}")
        assert extra <= 0, f"{url} is {extra} px wider than a 320 px window: {culprits}"
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
        assert not violations, f"axe found WCAG violations in the open people picker:\n{format_violations(violations)}"
    finally:
        page.close()


def test_a_refused_idea_focuses_the_error_summary(demo, contexts):
    """Designsystemet's ErrorSummary: focused (tabindex=-1), a heading and links to the
    fields, and no role="alert" (which would read it twice)."""
    page = contexts("ola").new_page()
    try:
        page.goto("/ideas/new")
        with page.expect_navigation():
            page.get_by_role("button", name="Send inn").click()
        summary = page.locator("#error-summary")
        summary.wait_for()
        page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
        assert summary.get_attribute("role") is None
        assert page.locator("#error-summary h2").inner_text() == "Noe må rettes før du kan gå videre"
        first_link = summary.get_by_role("link").first
        assert first_link.get_attribute("href") == "#title"
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "title"
    finally:
        page.close()
