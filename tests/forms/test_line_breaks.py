"""A textarea's line breaks count once, as the browser counted them against `maxlength`:
browsers send each break as CR LF, so a description that fit while typing would otherwise
be refused as too long after it was sent. What is stored has plain LF breaks."""
from __future__ import annotations

from app.extensions import db
from app.models.plan import Milestone
from tests.plan.core_helpers import browser, cast, post, project  # noqa: F401

LINE = "Kartlegge dagens arbeidsprosesser i hjemmetjenesten"  # 51 characters


def test_a_milestone_description_at_its_limit_with_line_breaks(browser, project):
    lines = [LINE] * 9 + ["x" * (500 - 9 * (len(LINE) + 1))]
    typed = "\r\n".join(lines)  # as the browser sends it: 509 characters, 500 as typed
    assert len(typed) == 509 and len("\n".join(lines)) == 500
    page = f"/projects/{project.id}/milestones"
    response = post(browser("kari", htmx=True), page, {
        "new_number": "M1", "new_description": typed, "new_due_date": "2030-01-15",
        "new_responsible_username": "kari"}, page=page)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    stored = db.session.execute(db.select(Milestone)).scalar_one()
    assert stored.description == "\n".join(lines)


def test_one_character_more_is_still_refused(browser, project):
    typed = "\r\n".join([LINE] * 9 + ["x" * (501 - 9 * (len(LINE) + 1))])
    page = f"/projects/{project.id}/milestones"
    response = post(browser("kari", htmx=True), page, {
        "new_number": "M1", "new_description": typed, "new_due_date": "2030-01-15",
        "new_responsible_username": "kari"}, page=page)
    assert response.status_code == 422
    assert "Skriv høyst 500 tegn (nå 501)." in response.get_data(as_text=True)
