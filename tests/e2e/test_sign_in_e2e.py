"""End to end: an employee signs in with the directory account and signs out again."""
from __future__ import annotations

from tests.e2e import screenshot


def sign_in(page, username: str, password: str = "demo") -> None:
    page.goto("/login")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()


def test_ida_signs_in_sees_her_name_and_signs_out(page, live_server):
    sign_in(page, "ida")

    header = page.locator("header")
    assert "Ida Berg" in header.inner_text()
    assert page.get_by_role("heading", name="Hei, Ida Berg").is_visible()
    screenshot(page, "sign-in/ida-signed-in")

    page.get_by_role("button", name="Logg ut").click()

    page.wait_for_url("**/login")
    assert page.get_by_role("heading", name="Logg inn i Faseport").is_visible()
    assert "Du er logget ut." in page.inner_text("main")
    screenshot(page, "sign-in/ida-signed-out")
    # The session is really gone: the front page sends her back to the sign-in page.
    page.goto("/")
    assert "/login" in page.url


def test_wrong_password_shows_one_calm_norwegian_message(page, live_server):
    sign_in(page, "ida", "feil")

    alert = page.get_by_role("alert")
    assert alert.inner_text().strip() == "Feil brukernavn eller passord."
    assert page.get_by_label("Brukernavn").input_value() == "ida"
    screenshot(page, "sign-in/wrong-password")
