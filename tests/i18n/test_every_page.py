"""Issue 15: every page of the accessibility crawl (tests/e2e/a11y/test_accessibility_e2e.py:
the same pages, people and demo data) in nynorsk and in English, in real Chromium:
`<html lang>` is right, axe finds no WCAG 2.1 A/AA violation, and an English page shows
no bokmål in its chrome (menus, buttons, labels, headings, table heads).

The browser asks for the language the way a visitor's does (Accept-Language), so the
people here have not chosen one; the choice itself is tests/i18n/test_choice.py. Data
stays in the language it was written in: every text stored in the database (titles,
names, units, comments, stored notices) is taken out before the words are judged.
Rendering does not depend on the database, so this runs in the SQLite pass only.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import String, Text, inspect, select

from app.extensions import db as _db
from tests.e2e import screenshot
from tests.e2e.a11y.axe import format_violations as _format, run_axe
from tests.e2e.a11y.conftest import _NOT_LOOPBACK, TIMEOUT_MS, _empty_database, axe_source, demo  # noqa: F401
from tests.e2e.a11y.test_accessibility_e2e import PAGES as A11Y_PAGES
from tests.support.live_server import live_server  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

#: the accessibility crawl's pages, every one of them, as (id, person, path, status)
PAGES = list(A11Y_PAGES)
#: what the browser sends, per language
BROWSER_LANGUAGE = {"nn": "nn-NO", "en": "en-GB"}
#: words only bokmål (or Norwegian) uses; any of them in an English page's chrome is a miss
BOKMAL_WORDS = ("ikke", "og", "eller", "på", "med", "av", "Lagre", "Avbryt", "Slett", "Velg", "Søk",
                "prosjekteier", "prosjektleder", "gevinster", "milepæler", "beslutning", "endringer",
                "Logg ut", "Ny idé", "Mitt", "Historikk", "Oversikt", "Tilbake", "Innlogget", "Hopp til")
_BOKMAL = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, BOKMAL_WORDS)) + r")(?![\w-])", re.I)
#: the interface around the data: where an untranslated word would be the app's fault
CHROME = ("header, nav, footer, button, label, legend, summary, caption, th, h1, h2, h3, h4, "
          "[role=tab], .ds-tag, .ds-validation-message, .ds-alert")
CHROME_TEXT = "(sel) => Array.from(document.querySelectorAll(sel), el => el.innerText)"


@pytest.fixture(scope="module")
def stored_texts(app, demo) -> re.Pattern:
    """Every text value in the database (the demo's data), as one pattern of whole words,
    longest first."""
    texts: set[str] = set()
    with app.app_context():
        names = set(inspect(_db.engine).get_table_names())
        for table in _db.metadata.sorted_tables:
            if table.name not in names:
                continue
            columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
            if not columns:
                continue
            for row in _db.session.execute(select(*columns)):
                texts.update(v.strip() for v in row if isinstance(v, str) and len(v.strip()) > 2)
    return data_pattern(texts)


def data_pattern(texts) -> re.Pattern:
    """Whole occurrences of any of `texts` (never a piece of a longer word)."""
    alternatives = "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])")


@pytest.fixture(scope="module")
def contexts(browser, live_server):  # noqa: F811 - fixtures imported above
    """One browser context per (person, language), signed in once; CSP bypassed for axe."""
    made: dict = {}

    def get(username: str | None, locale: str):
        key = (username, locale)
        if key not in made:
            ctx = browser.new_context(base_url=live_server.url, bypass_csp=True, locale=BROWSER_LANGUAGE[locale],
                                      timezone_id="Europe/Oslo", viewport={"width": 1280, "height": 900})
            ctx.set_default_timeout(TIMEOUT_MS)
            ctx.route(_NOT_LOOPBACK, lambda route: route.abort("blockedbyclient"))
            if username:
                page = ctx.new_page()
                sign_in(page, username)
                assert "/login" not in page.url, f"{username} could not sign in"
                page.close()
            made[key] = ctx
        return made[key]

    yield get
    for ctx in made.values():
        ctx.close()


def sign_in(page, username: str) -> None:
    """Sign in by the fields' names (their labels are in the page's language)."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    with page.expect_navigation():
        page.click("form button[type=submit]")


def bokmal_in_chrome(page, stored: re.Pattern) -> list[str]:
    """Bokmål words in the page's interface, once the stored data is taken out."""
    found = []
    for text in page.evaluate(CHROME_TEXT, CHROME):
        text = stored.sub(" ", text)
        found += [f"{m.group(0)!r} in {' '.join(text.split())[:120]!r}" for m in _BOKMAL.finditer(text)]
    return found


@pytest.mark.parametrize("locale", ["nn", "en"])
@pytest.mark.parametrize(("page_id", "username", "path", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_in_nynorsk_and_english(page_id, username, path, status, locale, demo, contexts, axe_source,
                                          stored_texts):
    page = contexts(username, locale).new_page()
    try:
        url, _, fragment = path.format(**demo).partition("#")
        response = page.goto(url)
        assert response is not None and response.status == status, url
        if fragment == "submit-empty":
            page.click("#idea-form button[name=action][value=submit]")
            page.locator("#error-summary").wait_for()
        assert page.evaluate("document.documentElement.lang") == locale, f"{url}: <html lang> is not {locale}"
        problems = []
        violations = run_axe(page, axe_source)
        if violations:
            problems.append(f"axe found WCAG violations:\n{_format(violations)}")
        if locale == "en":
            words = bokmal_in_chrome(page, stored_texts)
            if words:
                problems.append("bokmål in the English page's interface:\n" + "\n".join(words))
        if problems:
            screenshot(page, f"FAILED-i18n-{locale}-{page_id}")
        assert not problems, f"{url} in {locale}:\n" + "\n".join(problems)
    finally:
        page.close()


def test_the_word_check_sees_bokmal_and_leaves_data_alone():
    stored = data_pattern(["Trygghetsalarmer over på digitalt nett", "nomen"])
    text = stored.sub(" ", "Lagre endringene · Trygghetsalarmer over på digitalt nett · Save · ikke gjennomgått")
    assert text.split(" · ")[-1] == "ikke gjennomgått"  # stored text is taken out only where it stands whole
    text = text.replace("ikke gjennomgått", "")
    assert [m.group(0) for m in _BOKMAL.finditer(text)] == ["Lagre"]
    assert [m.group(0) for m in _BOKMAL.finditer("Log out · Save · Project owner · ongoing · e-postmed")] == []
