"""Through the test client, on SQLite and on PostgreSQL (the PostgreSQL pass runs this file
too): a value a column cannot hold is refused by the form, with the message beside the
field and what was typed kept, never a 500, and nothing stored."""
from __future__ import annotations

import re

from app.extensions import db
from app.models import Project
from app.models.economy import BudgetLine
from app.models.plan import Milestone
from app.models.risk import Risk
from app.models.stakeholder import CommunicationActivity
from tests.plan.core_helpers import browser, cast, field_errors, post, project  # noqa: F401
from tests.ideas.test_new_idea import field_error
from tests.support.factories import login_as, post_form


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def refused(response, message: str, typed: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 422, response.status_code
    assert message in field_errors(response), field_errors(response)
    assert typed in html, "what was typed is shown again"
    assert "Noe av det du skrev passer ikke" not in html, "the form refused it, not the net before the database"


def test_a_milestone_number_one_too_long(browser, project):
    page = f"/projects/{project.id}/milestones"
    response = post(browser("kari", htmx=True), page, {
        "new_number": "M1234567890", "new_description": "Når dagens arbeidsprosesser er kartlagt",
        "new_due_date": "2030-01-15", "new_responsible_username": "kari"}, page=page)
    refused(response, "Skriv høyst 10 tegn (nå 11).", 'value="M1234567890"')
    assert count(Milestone) == 0


def test_an_activity_of_301_characters(browser, project):
    page = f"/projects/{project.id}/stakeholders"
    what = "Informasjonsmøte " + "x" * 284
    response = post(browser("kari", htmx=True), f"{page}/activities", {
        "newa_what": what, "newa_audience": "Fagforbundet", "newa_channel": "meeting",
        "newa_planned_on": "2030-09-10", "newa_status": "planned"}, page=page)
    refused(response, "Skriv høyst 300 tegn (nå 301).", what)
    assert count(CommunicationActivity) == 0


def test_a_risk_longer_than_the_register_takes(browser, project):
    page = f"/projects/{project.id}/risks"
    description = "Leverandøren leverer for sent. " + "x" * 9_971
    response = post(browser("kari", htmx=True), page, {
        "new_kind": "risk", "new_description": description, "new_probability": "4", "new_consequence": "5",
        "new_status": "open"}, page=page)
    refused(response, "Teksten er for lang.", "Leverandøren leverer for sent. xxxx")
    assert count(Risk) == 0


def test_numbers_too_large_for_the_economy_tab(browser, project):
    page = f"/projects/{project.id}/economy"
    response = post(browser("kari", htmx=True), f"{page}/lines", {
        "line_year": "2147483648", "line_investment_nok": "9 223 372 036 854 775 808",
        "line_operating_nok": "50 000", "line_note": "n" * 301}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    errors = field_errors(response)
    assert "Skriv året med fire sifre, for eksempel 2026." in errors
    assert "Beløpet er for stort. Skriv beløpet i hele kroner." in errors
    assert "Skriv høyst 300 tegn (nå 301)." in errors
    assert 'value="2147483648"' in html and 'value="9 223 372 036 854 775 808"' in html
    assert count(BudgetLine) == 0


def test_an_idea_whose_title_unit_and_answer_do_not_fit(client, db, users):
    login_as(client, users["ida"])
    title = "Digitale arbeidslister " + "t" * 178
    response = post_form(client, "/ideas/new", {
        "action": "draft", "title": title, "need": "Arbeidslistene skrives ut på papir hver morgen.",
        "unit": "u" * 201, "owner_username": "ola", "personal_data": "p" * 11, "needs_ikt": "no"},
        page="/ideas/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "title") == "Skriv høyst 200 tegn (nå 201)."
    assert field_error(html, "unit") == "Skriv høyst 200 tegn (nå 201)."
    assert field_error(html, "personal_data") == "Velg en av verdiene i listen."
    assert title in html and "u" * 201 in html
    assert count(Project) == 0


def test_the_browser_is_told_the_column_length(browser, project):
    html = browser("kari").get(f"/projects/{project.id}/milestones").get_data(as_text=True)
    assert re.search(r'<input[^>]*maxlength="10"[^>]*name="new_number"', html)
    assert re.search(r'<textarea[^>]*maxlength="500"[^>]*name="new_description"', html)


def test_number_inputs_tell_the_browser_their_range(browser, project):
    from app.plan.economy.summary import MAX_YEAR, MIN_YEAR

    html = browser("kari").get(f"/projects/{project.id}/economy").get_data(as_text=True)
    year = re.search(r'<input[^>]*name="line_year"[^>]*>', html).group(0)
    assert 'type="number"' in year and f'min="{MIN_YEAR}"' in year and f'max="{MAX_YEAR}"' in year


def test_the_itposmo_scores_tell_the_browser_0_to_10(app):
    from app.plan.risks.forms import itposmo_form

    with app.test_request_context():
        html = itposmo_form().information()
    assert 'type="number"' in html and 'min="0"' in html and 'max="10"' in html
