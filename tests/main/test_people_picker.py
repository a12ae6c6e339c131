"""The people picker: /people/search (the options of the WAI-ARIA combobox), and what the
server makes of a name typed without JavaScript.

(app/people/ is small and shares the front page's fixtures, so its tests live here.)
"""
from __future__ import annotations

import pytest

from app.directory import DirectoryUnavailable
from tests.auth.helpers import Page, login_next
from tests.support.factories import login_as, make_user


def _options(response) -> list[dict]:
    return Page(response.get_data(as_text=True)).find("li")


def _usernames(response) -> list[str]:
    return [o["data-username"] for o in _options(response)]


def search(client, q, **args):
    return client.get("/people/search", query_string={"q": q, **args})


@pytest.fixture()
def ida_htmx(htmx, db, users):
    login_as(htmx, users["ida"])
    return htmx


def test_search_with_norwegian_letters_finds_ase_ovrebo(ida_htmx):
    response = search(ida_htmx, "øvre", field="owner_username", list="owner_username-listbox")

    assert response.status_code == 200
    [option] = _options(response)
    assert option["role"] == "option" and option["aria-selected"] == "false"
    assert option["data-username"] == "ase" and option["data-label"] == "Åse Øvrebø"
    assert option["id"] == "owner_username-listbox-0"
    assert option["data-details"] == "Rektor, Oppvekst"  # title and unit beside the name
    listbox = Page(response.get_data(as_text=True)).find("ul")[0]
    assert listbox["role"] == "listbox" and listbox["id"] == "owner_username-listbox"
    assert "<html" not in response.get_data(as_text=True)


def test_the_picker_sends_what_is_typed_under_the_fields_own_name(ida_htmx):
    """htmx sends the input's own value: `owner_username=øvre`, not `q`."""
    response = ida_htmx.get("/people/search", query_string={"field": "owner_username", "owner_username": "øvre"})
    assert _usernames(response) == ["ase"]


def test_every_word_must_match(ida_htmx):
    assert _usernames(search(ida_htmx, "ida berg")) == ["ida"]


@pytest.mark.parametrize("query, expected", [
    ("rektor", ["ase"]),                         # a title
    ("sykepleier helse", ["ida", "jonas"]),      # a title and a unit
    ("økonomisjef", ["geir"]),
])
def test_people_are_found_by_title_and_unit_too(ida_htmx, query, expected):
    assert _usernames(search(ida_htmx, query)) == expected


def test_people_faseport_knows_are_found_even_outside_the_directory(ida_htmx, db):
    make_user("ekstern", display_name="Eva Ekstern", unit="Innleid konsulent")
    assert _usernames(search(ida_htmx, "innleid")) == ["ekstern"]


def test_the_owner_picker_offers_only_people_who_may_own_projects(ida_htmx, db, users):
    """ola has ida under him; randi has ola and kari; lise is in nobody's line, ida neither."""
    everyone = _usernames(search(ida_htmx, "nordmann"))
    assert everyone == ["kari", "ola"]
    assert _usernames(search(ida_htmx, "nordmann", scope="owner")) == ["ola"]
    response = search(ida_htmx, "ida berg", scope="owner")
    assert _usernames(response) == []
    assert "Fant ingen som kan være prosjekteier og passer til «ida berg»." in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["(", "*", "**", "((", "*)", "a*", "*a", "ida)(uid=*",
                                   "\\2a", "(&)", "\x00x"])
def test_filter_characters_neither_crash_nor_act_as_wildcards(ida_htmx, query):
    response = search(ida_htmx, query)

    assert response.status_code == 200
    assert _options(response) == []


def test_a_star_separates_words_rather_than_matching_anything(ida_htmx):
    assert _usernames(search(ida_htmx, "ber*g")) == _usernames(search(ida_htmx, "ber g"))


def test_at_most_twenty_results_with_a_hint_to_type_more(ida_htmx):
    # Every demo address ends in @demo.kommune.no, so "kommune" matches everyone (>20).
    response = search(ida_htmx, "kommune")

    assert response.status_code == 200
    assert len(_options(response)) == 20
    assert "De 20 første treffene vises. Skriv mer for å snevre inn." in response.get_data(as_text=True)


def test_short_query_asks_for_two_letters(ida_htmx):
    response = search(ida_htmx, "a")
    assert response.status_code == 200
    assert _options(response) == []
    assert "Skriv minst to bokstaver." in response.get_data(as_text=True)


def test_no_match_says_so(ida_htmx):
    response = search(ida_htmx, "zzzyx")
    assert _options(response) == []
    assert "Fant ingen som passer til «zzzyx»." in response.get_data(as_text=True)


def test_field_and_list_names_cannot_inject_markup(ida_htmx):
    response = search(ida_htmx, "øvre", field='"><img src=x>', list="x\"><script>")
    html = response.get_data(as_text=True)
    assert "<img" not in html and "<script" not in html
    assert _options(response)[0]["id"] == "person-listbox-0"


def test_directory_down_still_offers_the_people_faseport_knows(ida_htmx, users, monkeypatch):
    directory = ida_htmx.application.extensions["faseport_directory"]

    def unavailable(query, limit=20):
        raise DirectoryUnavailable("timed out")

    monkeypatch.setattr(directory, "search_people", unavailable)
    response = search(ida_htmx, "nordmann")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _usernames(response) == ["kari", "ola"]
    assert "Brukerkatalogen svarer ikke akkurat nå" in html
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


# --- without JavaScript: the server resolves what was typed ------------------------------
@pytest.mark.parametrize("typed, chosen, expected", [
    ("ola", "", "ola"),                                   # a username
    ("Ola Nordmann", "", "ola"),                          # a name only one person has
    ("  ola   nordmann ", "", "ola"),                     # spacing and case do not matter
    ("Åse Øvrebø (Oppvekst)", "", "ase"),                 # the option's label as shown
    ("Randi Strand", "randi", "randi"),                   # the list's choice, still shown
    ("Ola Nordmann", "randi", "ola"),                     # typed over the choice: the text wins
])
def test_a_typed_name_is_resolved(app, db, users, typed, chosen, expected):
    from app.people.resolve import resolve_person

    with app.test_request_context():
        assert resolve_person(typed, chosen).username == expected


@pytest.mark.parametrize("typed, message", [
    ("Nordmann", "Flere passer til «Nordmann»: Kari Nordmann (Rådmannens stab, brukernavn kari); "
                 "Ola Nordmann (Helse og omsorg, brukernavn ola). Skriv hele navnet eller brukernavnet."),
    ("Zzzyx Ukjent", "Fant ikke «Zzzyx Ukjent» i brukerkatalogen. Skriv navnet slik det står der, "
                     "eller brukernavnet."),
])
def test_an_ambiguous_or_unknown_name_is_refused_with_what_to_type(app, db, users, typed, message):
    from app.people.resolve import PersonNotResolved, resolve_person

    with app.test_request_context(), pytest.raises(PersonNotResolved) as refused:
        resolve_person(typed)
    assert refused.value.message == message


def test_among_namesakes_the_owner_picker_takes_the_one_who_may_own(app, db, users):
    from app.people.resolve import resolve_person

    with app.test_request_context():
        assert resolve_person("Nordmann", owners_only=True).username == "ola"
