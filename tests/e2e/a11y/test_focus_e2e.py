"""Focus after every htmx swap (static/js/focus.js), and axe on each swapped state.

For each inline editor: the opener ("Endre", "Rediger", "Vurder") puts focus in the form's
first field; "Avbryt" gives it back to the opener; a refused save puts it on the first
field in error. axe checks the open form and the inline error state too.
"""
from __future__ import annotations

import re

import pytest

from tests.e2e.a11y.axe import focused, format_violations, run_axe
from tests.e2e import screenshot

#: what `document.activeElement` is after a swap settles: (kind, its text or name)
ACTIVE = """() => {
    const el = document.activeElement;
    return [el ? el.tagName.toLowerCase() : '', el ? (el.textContent || '').trim() : '',
            el ? el.getAttribute('aria-invalid') : null, !!(el && el.closest('form'))];
}"""

#: (id, person, path, the opener's text at its start); {plan} is the running demo project
EDITORS = [
    ("risk", "kari", "/projects/{plan}/risks", "Endre «"),
    ("itposmo", "kari", "/projects/{plan}/risks", "Endre vurderingen"),
    ("milestone", "kari", "/projects/{plan}/milestones", "Endre"),
    ("plan-section", "kari", "/projects/{plan}/plan", "Rediger"),
    ("benefit", "kari", "/projects/{plan}/benefits", "Endre"),
    ("stakeholder", "kari", "/projects/{plan}/stakeholders", "Endre"),
    ("change", "kari", "/projects/{plan}/changes", "Rediger"),
    ("task", "kari", "/projects/{plan}/tasks", "Rediger"),
    ("dpia-row", "siri", "/personvern", "Vurder"),
]


def _wait_for_swap(page, previous: str) -> None:
    """Until the focus has moved on from `previous` (htmx settles after ~20 ms)."""
    page.wait_for_function("""(prev) => {
        const el = document.activeElement;
        const now = el ? el.tagName + (el.id || '') + (el.textContent || '').trim().slice(0, 40) : '';
        return now !== prev && el !== document.body && !document.querySelector('.htmx-request');
    }""", arg=previous)


def _key(page) -> str:
    return page.evaluate("""() => { const el = document.activeElement;
        return el ? el.tagName + (el.id || '') + (el.textContent || '').trim().slice(0, 40) : ''; }""")


@pytest.mark.parametrize(("editor", "username", "path", "opener_text"), EDITORS, ids=[e[0] for e in EDITORS])
def test_opening_and_cancelling_an_inline_form_keeps_the_focus(editor, username, path, opener_text,
                                                              demo, contexts, axe_source):
    page = contexts(username).new_page()
    try:
        page.goto(path.format(**demo))
        opener = page.locator("a[hx-get]", has_text=re.compile("^" + re.escape(opener_text))).first
        opener.focus()
        before = _key(page)
        page.keyboard.press("Enter")
        _wait_for_swap(page, before)
        tag, _text, _invalid, in_form = page.evaluate(ACTIVE)
        assert tag in ("input", "select", "textarea") and in_form, \
            f"{editor}: after «{opener_text}» focus is on {focused(page)}, not the form's first field"
        violations = run_axe(page, axe_source)
        if violations:
            screenshot(page, f"FAILED-a11y-open-{editor}")
        assert not violations, f"axe, {editor} form open:\n{format_violations(violations)}"

        form = page.locator("form", has=page.locator(":focus"))
        cancel = form.locator("xpath=ancestor-or-self::*[@hx-target='this' or @id][1]").get_by_role(
            "link", name=re.compile("^Avbryt")).first
        cancel.focus()
        before = _key(page)
        page.keyboard.press("Enter")
        _wait_for_swap(page, before)
        tag, text, _invalid, _in_form = page.evaluate(ACTIVE)
        assert tag in ("a", "button") and text.startswith(opener_text.rstrip(" «")), \
            f"{editor}: after «Avbryt» focus is on {focused(page)}, not on «{opener_text}»"
    finally:
        page.close()


def test_a_refused_risk_focuses_the_field_in_error_and_a_saved_one_its_opener(demo, contexts, axe_source):
    page = contexts("kari").new_page()
    try:
        page.goto(f"/projects/{demo['plan']}/risks")
        page.locator("#risk-rows-open a[hx-get]", has_text="Endre").first.focus()
        page.keyboard.press("Enter")
        _wait_for_swap(page, "")
        row = page.locator("tr.risk-row--editing")
        description = row.locator("textarea").first
        description.fill("")
        row.get_by_role("button", name="Lagre endringene").focus()
        before = _key(page)
        page.keyboard.press("Enter")
        _wait_for_swap(page, before)
        tag, _text, invalid, _in_form = page.evaluate(ACTIVE)
        assert (tag, invalid) == ("textarea", "true"), f"after a refused save focus is on {focused(page)}"
        violations = run_axe(page, axe_source)
        assert not violations, f"axe, refused risk:\n{format_violations(violations)}"

        page.keyboard.type("Leverandøren leverer for sent")
        row.get_by_role("button", name="Lagre endringene").focus()
        before = _key(page)
        page.keyboard.press("Enter")
        _wait_for_swap(page, before)
        tag, text, _invalid, _in_form = page.evaluate(ACTIVE)
        assert tag == "a" and text.startswith("Endre «Leverandøren leverer for sent"), \
            f"after saving focus is on {focused(page)}"
    finally:
        page.close()


def test_a_refused_checklist_save_focuses_the_comment_and_a_saved_one_the_save_button(demo, contexts, axe_source):
    """The checklist is one form: "Lagre svarene" refused puts focus in the comment that
    needs writing; saved, focus stays on "Lagre svarene", which says what was saved."""
    page = contexts("kari").new_page()
    try:
        page.goto(f"/projects/{demo['plan']}/gates/BP4")
        form = page.locator("form.checklist-form")
        item = form.locator("li.checklist__item", has=page.locator("fieldset")).first
        item.get_by_label("Nei", exact=True).check()
        item.locator("textarea").fill("")
        save = form.get_by_role("button", name="Lagre svarene")
        save.focus()
        before = _key(page)
        page.keyboard.press("Enter")
        _wait_for_swap(page, before)
        tag, _text, invalid, _in_form = page.evaluate(ACTIVE)
        assert (tag, invalid) == ("textarea", "true"), f"after a refused save focus is on {focused(page)}"
        violations = run_axe(page, axe_source)
        assert not violations, f"axe, refused checklist save:\n{format_violations(violations)}"

        page.keyboard.type("Opplæringen av nattevakten er ikke ferdig.")
        page.locator("form.checklist-form").get_by_role("button", name="Lagre svarene").focus()
        page.keyboard.press("Enter")
        page.locator(".checklist__saved", has_text="1 svar er lagret.").wait_for()
        # The text is swapped in before htmx settles, and focus is placed when it settles.
        page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
        tag, text, _invalid, _in_form = page.evaluate(ACTIVE)
        assert (tag, text) == ("button", "Lagre svarene"), f"after saving focus is on {focused(page)}"
        violations = run_axe(page, axe_source)
        assert not violations, f"axe, saved checklist:\n{format_violations(violations)}"
    finally:
        page.close()


def test_paging_the_portfolio_keeps_the_focus_on_the_pager(demo, contexts, axe_source):
    page = contexts("lise").new_page()
    try:
        page.goto("/portfolio?per_page=10")
        page.locator("#page-next").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"page=2"))
        page.locator("#page-2[aria-current=true]").wait_for()
        page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
        # The pager was swapped with the results; the same link has the focus again.
        assert page.evaluate("document.activeElement.id") == "page-next", focused(page)
        violations = run_axe(page, axe_source)
        assert not violations, f"axe, portfolio page 2:\n{format_violations(violations)}"
    finally:
        page.close()
