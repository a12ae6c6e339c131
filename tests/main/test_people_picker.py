"""The people picker: /people/search, the htmx search behind every "choose a person" field.

(app/people/ is small and shares the front page's fixtures, so its tests live here.)
"""
from __future__ import annotations

import pytest

from app.directory import DirectoryUnavailable
from tests.auth.helpers import Page, login_next
from tests.support.factories import login_as


def _results(response) -> list[dict]:
    return Page(response.get_data(as_text=True)).find("button")


def _names(response) -> list[str]:
    return [b["data-label"] for b in _results(response)]


@pytest.fixture()
def ida_htmx(htmx, db, users):
    login_as(htmx, users["ida"])
    return htmx


def test_search_with_norwegian_letters_finds_ase_ovrebo(ida_htmx):
    response = ida_htmx.get("/people/search", query_string={"q": "øvre", "field": "owner"})

    assert response.status_code == 200
    [button] = _results(response)
    assert button["data-username"] == "ase"
    assert button["data-field"] == "owner"
    assert button["data-label"].startswith("Åse Øvrebø")
    assert "<html" not in response.get_data(as_text=True)


def test_every_word_must_match(ida_htmx):
    assert [b["data-username"] for b in _results(
        ida_htmx.get("/people/search", query_string={"q": "ida berg"}))] == ["ida"]


@pytest.mark.parametrize("query", ["(", "*", "**", "((", "*)", "a*", "*a", "ida)(uid=*",
                                   "\\2a", "ber*g", "(&)", "\x00x"])
def test_filter_characters_neither_crash_nor_act_as_wildcards(ida_htmx, query):
    response = ida_htmx.get("/people/search", query_string={"q": query})

    assert response.status_code == 200
    assert _results(response) == []


def test_at_most_twenty_results_with_a_hint_to_type_more(ida_htmx):
    # Every demo address ends in @demo.kommune.no, so "kommune" matches everyone (>20).
    response = ida_htmx.get("/people/search", query_string={"q": "kommune"})

    assert response.status_code == 200
    assert len(_results(response)) == 20
    assert "Viser de 20 første" in response.get_data(as_text=True)


def test_short_query_asks_for_two_letters(ida_htmx):
    response = ida_htmx.get("/people/search", query_string={"q": "a"})
    assert response.status_code == 200
    assert _results(response) == []
    assert "Skriv minst to bokstaver" in response.get_data(as_text=True)


def test_no_match_says_so(ida_htmx):
    response = ida_htmx.get("/people/search", query_string={"q": "zzzyx"})
    assert _results(response) == []
    assert "Fant ingen med navnet «zzzyx»" in response.get_data(as_text=True)


def test_field_name_cannot_inject_markup(ida_htmx):
    response = ida_htmx.get("/people/search",
                            query_string={"q": "øvre", "field": '"><img src=x>'})
    html = response.get_data(as_text=True)
    assert "<img" not in html
    assert _results(response)[0]["data-field"] == "person"


def test_directory_down_gives_a_norwegian_503_fragment(ida_htmx, monkeypatch):
    directory = ida_htmx.application.extensions["faseport_directory"]

    def unavailable(query, limit=20):
        raise DirectoryUnavailable("timed out")

    monkeypatch.setattr(directory, "search_people", unavailable)
    response = ida_htmx.get("/people/search", query_string={"q": "øvre"})

    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Brukerkatalogen svarer ikke" in html
    assert "<html" not in html


def test_anonymous_search_is_sent_to_sign_in(client, db):
    response = client.get("/people/search", query_string={"q": "øvre"})
    assert response.status_code == 302
    assert login_next(response.headers["Location"]).startswith("/people/search")
    assert "Øvrebø" not in response.get_data(as_text=True)


def test_anonymous_htmx_search_gets_401_with_hx_redirect(htmx, db):
    response = htmx.get("/people/search", query_string={"q": "øvre"},
                        headers={"HX-Current-URL": "http://localhost/ideas/new"})
    assert response.status_code == 401
    assert "Øvrebø" not in response.get_data(as_text=True)
    assert login_next(response.headers["HX-Redirect"]) == "/ideas/new"
