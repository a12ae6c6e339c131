"""End to end: Ida submits an idea, Ola approves BP1, the project moves to Konsept and Ida
is told."""
from __future__ import annotations

import re

from tests.e2e import screenshot
from tests.e2e.test_sign_in_e2e import sign_in


def sign_out(page) -> None:
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/login")


def test_idea_submitted_approved_at_bp1_and_submitter_notified(page, live_server):
    # Ida writes her idea. Unit and proposed owner come from the directory.
    sign_in(page, "ida")
    page.get_by_role("link", name="Ny idé").first.click()
    assert page.get_by_label("Enhet").input_value() == "Helse og omsorg"
    assert page.get_by_label("Foreslått prosjekteier (brukernavn)").input_value() == "ola"
    page.get_by_label("Tittel").fill("Digital nøkkelboks i hjemmetjenesten")
    page.get_by_label("Behov eller problem").fill(
        "Nøklene til brukernes hjem henger i et skap på basen og må hentes før hver tur.")
    page.get_by_label("Forslag til løsning").fill("Digitale nøkkelbokser som åpnes med mobilen.")
    page.locator("#personal_data-field").get_by_label("Nei").check()
    page.locator("#needs_ikt-field").get_by_label("Ja").check()
    screenshot(page, "idea/ida-new-idea")
    page.get_by_role("button", name="Send inn").click()

    page.wait_for_url(re.compile(r".*/projects/\d+$"))
    project_url = page.url
    assert page.get_by_role("heading", name="Digital nøkkelboks i hjemmetjenesten").is_visible()
    assert "Idé" in page.locator(".project-head__stage").inner_text()

    # She answers the BP1 checklist and asks Ola for a decision.
    page.goto(project_url + "/gates/BP1")
    forms = page.locator("form.answer-form")
    for i in range(forms.count()):
        form = forms.nth(i)  # re-found after each htmx swap of the checklist
        form.get_by_label("Ja", exact=True).check()
        with page.expect_response(lambda r: "/checklist/" in r.url):
            form.get_by_role("button", name="Lagre svaret").click()
    page.reload()
    page.get_by_label("Kort oppsummering til prosjekteier").fill("Klar for en konseptfase.")
    page.get_by_role("button", name="Be om godkjenning").click()
    assert "Forespørselen er sendt til prosjekteier." in page.inner_text("main")
    sign_out(page)

    # Ola sees the decision waiting for him and approves BP1, naming Kari to lead the concept.
    sign_in(page, "ola")
    waiting = page.locator("section", has=page.get_by_role("heading", name=re.compile("Venter på din beslutning")))
    waiting.get_by_role("link", name=re.compile("Digital nøkkelboks")).click()
    page.locator("#decision-0, [name=decision][value=approve]").first.check()
    page.get_by_label("Jeg tar rollen som prosjekteier for dette prosjektet").check()
    page.get_by_label("Prosjektleder for konseptarbeidet (brukernavn)").fill("kari")
    screenshot(page, "idea/ola-decides-bp1")
    page.get_by_role("button", name="Registrer beslutningen").click()

    assert page.url == project_url
    assert "Konsept" in page.locator(".project-head__stage").inner_text()
    assert "Kari Nordmann" in page.inner_text("main")
    screenshot(page, "idea/project-in-concept")
    sign_out(page)

    # Ida has a notification that says so.
    sign_in(page, "ida")
    bell = page.get_by_role("link", name=re.compile(r"^Varsler, \d+ ulest"))
    bell.wait_for(state="visible")
    screenshot(page, "idea/ida-bell")
    bell.click()
    assert "Ola Nordmann godkjente BP1" in page.inner_text("main")
    screenshot(page, "idea/ida-notified")
