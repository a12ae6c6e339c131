"""A NUL character pasted into any form never reaches the database (PostgreSQL refuses it)."""
from __future__ import annotations

from app.models import Project
from tests.support.factories import login_as, post_form


def test_nul_in_an_idea_is_removed_not_a_server_error(client, db, users):
    login_as(client, users["ida"])

    response = post_form(client, "/ideas/new", {
        "title": "Nøkkel\x00boks", "need": "Nøklene henger i et skap\x00 på basen og må hentes.",
        "unit": "Helse og omsorg", "owner_username": "ola", "personal_data": "no",
        "needs_ikt": "no", "action": "draft"})

    assert response.status_code == 302
    project = db.session.execute(db.select(Project)).scalar_one()
    assert project.title == "Nøkkelboks"
    assert "\x00" not in project.need


def test_nul_in_a_query_string_is_removed(client, db, users):
    login_as(client, users["ida"])
    response = client.get("/people/search?q=%C3%B8vre%00&field=x")
    assert response.status_code == 200
    assert "Åse Øvrebø" in response.get_data(as_text=True)
