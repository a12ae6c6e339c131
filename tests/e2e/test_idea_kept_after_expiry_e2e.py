"""End to end: the session expires while Ida writes her idea; nothing she typed is lost."""
from __future__ import annotations

from app.extensions import db as _db
from app.models import Project, UserSession
from tests.e2e import screenshot
from tests.e2e.test_sign_in_e2e import sign_in


def fill_checked(page, label: str, field: str, text: str) -> None:
    """Fill a field and wait for its inline check (sent 0.7 s after typing) to answer."""
    with page.expect_response(lambda r: f"/ideas/validate?field={field}" in r.url):
        page.get_by_label(label).fill(text)


def test_text_survives_an_expired_session_and_a_new_sign_in(page, live_server, app):
    sign_in(page, "ida")
    page.goto("/ideas/new")
    fill_checked(page, "Tittel", "title", "Felles kalender for vaktbytter")
    fill_checked(page, "Behov eller problem", "need",
                 "Vaktbytter avtales på lapper på pauserommet, og ingen vet hvem som faktisk jobber.")

    # The session ends on the server while she is still writing (idle timeout, restart …).
    with app.app_context():
        _db.session.execute(_db.delete(UserSession))
        _db.session.commit()

    # She goes on typing: the inline check finds no session and sends her to sign in.
    page.get_by_label("Forslag til løsning").fill("En delt kalender der bytter godkjennes av leder.")
    page.wait_for_url("**/login**")
    assert page.get_by_role("alert").count() == 0  # no error, just the sign-in page
    with app.app_context():
        assert _db.session.execute(_db.select(Project)).first() is None  # nothing was saved

    page.get_by_label("Brukernavn").fill("ida")
    page.get_by_label("Passord").fill("demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()

    assert page.url.endswith("/ideas/new")
    assert page.get_by_label("Tittel").input_value() == "Felles kalender for vaktbytter"
    assert page.get_by_label("Behov eller problem").input_value().startswith("Vaktbytter avtales")
    assert page.get_by_label("Forslag til løsning").input_value().startswith("En delt kalender")
    assert page.get_by_role("status").filter(has_text="hentet fram teksten").is_visible()
    screenshot(page, "idea/text-restored-after-expiry")


def test_send_inn_after_expiry_leads_back_to_the_filled_form(page, live_server, app):
    sign_in(page, "ida")
    page.goto("/ideas/new")
    fill_checked(page, "Tittel", "title", "Digital oppslagstavle på avdelingen")
    fill_checked(page, "Behov eller problem", "need",
                 "Beskjeder henges opp på papir og blir borte, og nattevakten ser dem aldri.")
    with app.app_context():
        _db.session.execute(_db.delete(UserSession))
        _db.session.commit()

    # The click both submits and blurs the last field, whose inline check also finds no
    # session: either way the browser lands on the sign-in page.
    page.get_by_role("button", name="Send inn").click()
    page.wait_for_url("**/login**")

    page.get_by_label("Brukernavn").fill("ida")
    page.get_by_label("Passord").fill("demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()

    assert page.url.endswith("/ideas/new")
    assert page.get_by_label("Tittel").input_value() == "Digital oppslagstavle på avdelingen"
    assert page.get_by_label("Behov eller problem").input_value().startswith("Beskjeder henges opp")
