"""Issue 15: which language a person gets — their choice on the profile page or in the
header's language menu, else the browser's Accept-Language, else the kommune's
DEFAULT_LOCALE — and that `<html lang>`, dates and numbers follow it."""
from __future__ import annotations

import re
from datetime import date

import pytest

from app.extensions import db as _db
from app.models import AuditEvent, User
from tests.gates.flow import as_user  # noqa: F401 - fixture
from tests.i18n.support import translated
from tests.support.factories import post_form

LANG = re.compile(r'<html lang="([a-z]+)"')


def lang_of(response) -> str:
    match = LANG.search(response.get_data(as_text=True))
    assert match, "no <html lang> on the page"
    return match.group(1)


def locale_of(user: User) -> str | None:
    _db.session.expire_all()
    return _db.session.get(User, user.id).locale


def test_nobody_has_chosen_and_no_browser_language_gives_bokmal(as_user):
    page = as_user("ida").get("/profile")
    assert lang_of(page) == "nb"
    assert "Logg ut" in page.get_data(as_text=True)


@pytest.mark.parametrize(("header", "expected"), [
    ("nn-NO,nn;q=0.9,en;q=0.5", "nn"),
    ("nn", "nn"),
    ("nb-NO,nb;q=0.9", "nb"),
    ("no", "nb"),
    ("no-NO,en;q=0.3", "nb"),
    ("en-GB,en;q=0.9", "en"),
    ("de-DE,de;q=0.9,en;q=0.5,nn;q=0.4", "en"),  # the best of ours, by the browser's order
    ("de-DE,fr;q=0.8", "nb"),  # none of ours: the kommune's default
])
def test_before_a_choice_accept_language_decides(as_user, header, expected):
    page = as_user("ida").get("/profile", headers={"Accept-Language": header})
    assert lang_of(page) == expected


def test_the_kommune_default_holds_for_someone_who_has_not_chosen(app, as_user, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "nn")
    page = as_user("ida").get("/profile")
    assert lang_of(page) == "nn"
    assert translated("nn", "Logg ut") in page.get_data(as_text=True)
    # The browser still comes first, and a choice before that.
    assert lang_of(as_user("ida").get("/profile", headers={"Accept-Language": "en"})) == "en"


def test_choosing_on_the_profile_page_is_stored_audited_and_wins_over_the_browser(as_user, users):
    ida = as_user("ida")
    response = post_form(ida, "/profile/language", {"locale": "en", "next": "/profile#sprak"},
                         page="/profile")
    assert response.status_code == 303 and response.headers["Location"] == "/profile#sprak"
    assert locale_of(users["ida"]) == "en"
    page = ida.get("/profile", headers={"Accept-Language": "nn"})
    html = page.get_data(as_text=True)
    assert lang_of(page) == "en"
    assert translated("en", "Min profil") in html and translated("en", "Logg ut") in html
    assert 'value="en" checked' in html  # the profile shows the choice
    [event] = _db.session.scalars(_db.select(AuditEvent).where(AuditEvent.action == "profile.locale_chosen"))
    assert event.actor_id == users["ida"].id and event.data["locale"] == "en"

    # "Automatisk" takes the choice away again: the browser decides once more.
    post_form(ida, "/profile/language", {"locale": "", "next": "/profile"}, page="/profile")
    assert locale_of(users["ida"]) is None
    assert lang_of(ida.get("/profile", headers={"Accept-Language": "nn"})) == "nn"


def test_the_header_menu_returns_to_the_same_page_in_the_chosen_language(as_user, users):
    ida = as_user("ida")
    here = "/projects/?stage=idea&q=arbeidslister"
    page = ida.get(here)
    html = page.get_data(as_text=True)
    assert 'action="/profile/language"' in html
    assert f'name="next" value="{here.replace("&", "&amp;")}"' in html
    for code, name in (("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English")):
        assert f'name="locale" value="{code}" lang="{code}"' in html and f">{name}</button>" in html

    response = post_form(ida, "/profile/language", {"locale": "nn", "next": here}, page=here)
    assert response.status_code == 303 and response.headers["Location"] == here
    assert locale_of(users["ida"]) == "nn"
    back = ida.get(response.headers["Location"])
    assert back.status_code == 200 and lang_of(back) == "nn"
    assert translated("nn", "Logg ut") in back.get_data(as_text=True)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_the_menu_never_sends_anyone_off_the_site(as_user, next_url):
    response = post_form(as_user("ida"), "/profile/language", {"locale": "en", "next": next_url},
                         page="/profile")
    assert response.status_code == 303 and response.headers["Location"] == "/profile#sprak"


def test_a_language_we_do_not_have_is_refused_with_a_message_and_nothing_changes(as_user, users):
    response = post_form(as_user("ida"), "/profile/language", {"locale": "de", "next": "/"}, page="/profile")
    assert response.status_code == 422
    assert "Velg bokmål, nynorsk eller English." in response.get_data(as_text=True)
    assert locale_of(users["ida"]) is None


def test_choosing_needs_a_csrf_token_and_a_session(client, as_user, users):
    assert as_user("ida").post("/profile/language", data={"locale": "en"}).status_code == 400
    assert locale_of(users["ida"]) is None
    response = client.post("/profile/language", data={"locale": "en"})
    assert response.status_code in (302, 400, 401)


def test_dates_and_numbers_follow_the_language(app):
    from flask_babel import force_locale

    from app.i18n import group_thousands
    from app.templating import oslo_date

    with app.test_request_context("/"):
        with force_locale("nb"):
            assert oslo_date(date(2026, 12, 4)) == "4. des. 2026"
            assert group_thousands(1200000) == "1\u00a0200\u00a0000"
        with force_locale("en"):
            assert oslo_date(date(2026, 12, 4)) == "4 Dec 2026"
            assert group_thousands(1200000) == "1,200,000"


@pytest.mark.sqlite_only  # starts Python with its own settings, no database
def test_a_default_language_we_do_not_have_stops_the_start_with_one_line(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("LDAP_", "FASEPORT_", "DATABASE_", "DEFAULT_"))}
    env.update(FASEPORT_ENV="dev", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", DEFAULT_LOCALE="se")
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=Path(__file__).resolve().parents[2],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Faseport kan ikke starte: DEFAULT_LOCALE must be nb (bokmål), nn (nynorsk) or en (English), not 'se'"]
