"""End to end: Ida sends in an idea; Ola sees it waiting at once and approves BP1 with the
BP1 questions in his own decision form; the project moves to Konsept and Ida is told.

"Send inn" is the request for BP1 (issue 8): Ida answers no strategy questions. The
proposed owner and the concept's leader are chosen with the people picker (a WAI-ARIA
combobox), here with the keyboard."""
from __future__ import annotations

import re

from tests.e2e import screenshot
from tests.e2e.test_sign_in_e2e import sign_in

TITLE = "Digital nøkkelboks i hjemmetjenesten"


def sign_out(page) -> None:
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/login")


def pick(page, label: str, typed: str, option: str) -> None:
    """Choose a person in a people picker with the keyboard: type, Arrow Down to the
    option, Enter."""
    box = page.get_by_role("combobox", name=label)
    box.fill("")
    with page.expect_response(lambda r: "/people/search" in r.url):
        box.press_sequentially(typed, delay=30)
    page.get_by_role("option", name=re.compile(option)).wait_for()
    for _ in range(10):
        box.press("ArrowDown")
        active = box.get_attribute("aria-activedescendant")
        if active and option in page.locator(f"#{active}").inner_text():
            break
    box.press("Enter")
    assert box.input_value() == option
    assert box.get_attribute("aria-expanded") == "false"


def test_idea_sent_in_waits_for_ola_who_approves_bp1_with_his_questions(page, live_server):
    # Ida writes her idea. Unit and proposed owner (her leader) come from the directory.
    sign_in(page, "ida")
    page.get_by_role("link", name="Ny idé").first.click()
    assert page.get_by_label("Enhet").input_value() == "Helse og omsorg"
    owner = page.get_by_role("combobox", name="Foreslått prosjekteier")
    assert owner.input_value() == "Ola Nordmann"
    assert owner.get_attribute("aria-expanded") == "false"
    assert owner.get_attribute("aria-controls") == "owner_username-listbox"
    page.get_by_label("Tittel").fill(TITLE)
    page.get_by_label("Behov eller problem").fill(
        "Nøklene til brukernes hjem henger i et skap på basen og må hentes før hver tur.")
    page.get_by_label("Forslag til løsning").fill("Digitale nøkkelbokser som åpnes med mobilen.")
    page.locator("#personal_data-field").get_by_label("Nei").check()
    page.locator("#needs_ikt-field").get_by_label("Ja").check()

    # The owner picker offers only people who may own projects: Ida is not among them.
    owner.fill("")
    with page.expect_response(lambda r: "/people/search" in r.url and "scope=owner" in r.url):
        owner.press_sequentially("ida berg", delay=30)
    assert "Fant ingen som kan være prosjekteier" in page.locator("#owner_username-popup").inner_text()
    pick(page, "Foreslått prosjekteier", "nordm", "Ola Nordmann")
    assert "Kommunalsjef helse og omsorg" in page.locator("#owner_username-chosen").inner_text()
    screenshot(page, "idea/ida-new-idea")
    page.get_by_role("button", name="Send inn").click()

    page.wait_for_url(re.compile(r".*/projects/\d+$"))
    project_url = page.url
    assert page.get_by_role("heading", name=TITLE).is_visible()
    assert "Idé" in page.locator(".project-head__stage").inner_text()
    assert "Ola Nordmann har fått beskjed" in page.inner_text("main")
    assert "BP1 venter på beslutning fra prosjekteier." in page.inner_text("main")
    sign_out(page)

    # Ola sees it waiting at once, on his front page.
    sign_in(page, "ola")
    waiting = page.locator("section", has=page.get_by_role("heading", name=re.compile("Venter på din beslutning")))
    link = waiting.get_by_role("link", name=re.compile(TITLE))
    assert "sendt inn av Ida Berg" in waiting.inner_text()
    link.click()
    page.wait_for_url(project_url + "/gates/BP1")

    # His form holds the whole idea and the BP1 questions.
    form = page.locator("form[action$='/gates/BP1/decide']")
    assert "Nøklene til brukernes hjem henger i et skap" in form.inner_text()
    assert "Digitale nøkkelbokser som åpnes med mobilen." in form.inner_text()
    questions = form.locator("fieldset.owner-question")
    assert questions.count() == 4
    for key in ("fits_strategy", "is_project"):
        form.locator(f"#answer-{key}").get_by_label("Ja", exact=True).check()
    form.locator("#answer-concept_funding_clarified").get_by_label("Nei", exact=True).check()
    form.locator("#answer-concept_funding_clarified-comment").fill("Søkes dekket av velferdsteknologimidler.")
    form.locator("[name=decision][value=approve]").check()
    form.get_by_label("Jeg tar rollen som prosjekteier for dette prosjektet").check()
    pick(page, "Prosjektleder for konseptarbeidet", "kari", "Kari Nordmann")
    screenshot(page, "idea/ola-decides-bp1")
    form.get_by_role("button", name="Registrer beslutningen").click()

    page.wait_for_url(project_url)
    assert "Konsept" in page.locator(".project-head__stage").inner_text()
    assert "Kari Nordmann" in page.inner_text("main")
    screenshot(page, "idea/project-in-concept")
    # The BP1 checklist keeps his answers, the anbefalt "Nei" as a warning.
    page.goto(project_url + "/gates/BP1")
    funding = page.locator("#item-concept_funding_clarified")
    assert "Søkes dekket av velferdsteknologimidler." in funding.inner_text()
    assert "Besvart av Ola Nordmann." in page.locator("#item-fits_strategy").inner_text()
    sign_out(page)

    # Ida has a notification that says so.
    sign_in(page, "ida")
    bell = page.get_by_role("link", name=re.compile(r"^Varsler, \d+ ulest"))
    bell.wait_for(state="visible")
    bell.click()
    assert "Ola Nordmann godkjente BP1" in page.inner_text("main")
    screenshot(page, "idea/ida-notified")


def test_the_people_picker_closes_with_escape_and_works_without_choosing(page, live_server):
    """Escape closes the list (and a second Escape empties the box); a name typed without
    choosing from the list is resolved by the server."""
    sign_in(page, "ida")
    page.goto("/ideas/new")
    owner = page.get_by_role("combobox", name="Foreslått prosjekteier")
    owner.fill("")
    with page.expect_response(lambda r: "/people/search" in r.url):
        owner.press_sequentially("rand", delay=30)
    page.get_by_role("option", name=re.compile("Randi Strand")).wait_for()
    assert owner.get_attribute("aria-expanded") == "true"
    owner.press("ArrowDown")
    assert owner.get_attribute("aria-activedescendant") == "owner_username-listbox-0"
    assert page.locator("#owner_username-listbox-0").get_attribute("aria-selected") == "true"
    screenshot(page, "idea/owner-picker-open", full_page=False)
    owner.press("Escape")
    assert owner.get_attribute("aria-expanded") == "false"
    assert owner.input_value() == "rand"
    owner.press("Escape")
    assert owner.input_value() == ""
    # Typed in full and never chosen: the server finds Randi.
    owner.fill("Randi Strand")
    page.get_by_label("Tittel").fill("Felles kalender for møterom")
    page.get_by_label("Behov eller problem").fill("Møterommene dobbeltbookes fordi hver enhet har sin egen liste.")
    page.get_by_role("button", name="Lagre som kladd").click()
    page.wait_for_url(re.compile(r".*/ideas/\d+/edit$"))
    assert page.get_by_role("combobox", name="Foreslått prosjekteier").input_value() == "Randi Strand"
