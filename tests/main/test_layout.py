"""The page frame every person sees: Norwegian, accessible, with who is signed in."""
from __future__ import annotations

import pytest

from tests.auth.helpers import Page
from tests.support.factories import login_as


@pytest.fixture()
def front_page(client, db, users):
    login_as(client, users["ida"])
    response = client.get("/")
    assert response.status_code == 200
    return Page(response.get_data(as_text=True))


@pytest.fixture()
def login_page(client, db):
    response = client.get("/login")
    assert response.status_code == 200
    return Page(response.get_data(as_text=True))


@pytest.mark.parametrize("page_name", ["front_page", "login_page"])
def test_page_is_norwegian_with_skip_link_to_main(request, page_name):
    page = request.getfixturevalue(page_name)
    [html] = page.find("html")
    assert html["lang"] == "nb"
    skip = page.find("a", href="#main")
    assert skip and page.text_of("a", href="#main") == "Hopp til hovedinnhold"
    # The skip link is the first link on the page, so keyboard users meet it first.
    assert page.find("a")[0].get("href") == "#main"
    assert len(page.find("main", id="main")) == 1


def test_front_page_has_a_labelled_navigation(front_page):
    navs = front_page.find("nav")
    assert navs and all(nav.get("aria-label") for nav in navs)
    assert front_page.text_of("nav", **{"aria-label": "Hovedmeny"})


def test_header_shows_the_signed_in_name_and_a_sign_out_button(front_page):
    name = front_page.text_of("span", **{"data-testid": "signed-in-as"})
    assert "Ida Berg" in name and "Helse og omsorg" in name
    assert "Logg ut" in [text for tag, _a, text in front_page.texts if tag == "button"]
    assert front_page.find("form", action="/logout", method="post")


def test_login_page_shows_no_user_and_has_labelled_fields(login_page):
    assert login_page.find("span", **{"data-testid": "signed-in-as"}) == []
    assert "Logg ut" not in login_page.html
    for field in ("username", "password"):
        assert login_page.find("label", **{"for": field}), field
    assert login_page.text_of("h1") == "Logg inn i Faseport"
    [username] = [a for a in login_page.find("input") if a.get("name") == "username"]
    assert username.get("autocomplete") == "username"
    [password] = [a for a in login_page.find("input") if a.get("name") == "password"]
    assert password.get("type") == "password"
    assert password.get("autocomplete") == "current-password"


def test_front_page_greets_ida_in_norwegian(front_page):
    assert front_page.text_of("h1") == "Hei, Ida Berg"
    assert front_page.find("title") and "Mitt" in front_page.html
