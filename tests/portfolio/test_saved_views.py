"""Saved views: a person names the current query string, finds it again, deletes it."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import AuditEvent
from app.models.portfolio import SavedView
from tests.portfolio import builders as b
from tests.portfolio.helpers import table_rows
from tests.support.factories import csrf_token


def _save(client, name, query, *, htmx=False, token=True):
    data = {"name": name, "query": query}
    if token:
        data["csrf_token"] = csrf_token(client, "/portfolio")
    return client.post("/portfolio/views", data=data, headers={"HX-Request": "true"} if htmx else {})


def _views(username=None):
    db.session.expire_all()
    return db.session.scalars(db.select(SavedView).order_by(SavedView.id)).all()


def test_save_open_and_list_a_view(as_user, users):
    b.project(users, "Chatbot", stage="planning", unit="Økonomi")
    b.project(users, "Bemanningsplan", stage="idea")
    kari = as_user("kari")
    response = _save(kari, "  Økonomi   i planlegging ", "?stage=planning&unit=%C3%98konomi&page=3&evil=1&sort=title")
    assert response.status_code == 302
    view = _views()[0]
    # The name is tidied; the query keeps only what the portfolio understands, without the page.
    assert (view.name, view.query) == ("Økonomi i planlegging", "stage=planning&unit=%C3%98konomi&sort=title&dir=asc")
    assert response.headers["Location"] == "/portfolio?" + view.query
    page = kari.get(response.headers["Location"]).get_data(as_text=True)
    assert "Visningen «Økonomi i planlegging» er lagret." in page
    assert table_rows(page) == ["Chatbot"]
    assert f'href="/portfolio?{view.query.replace("&", "&amp;")}">Økonomi i planlegging</a>' in page
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "portfolio.view_saved")).one()
    assert event.actor.username == "kari" and event.data["name"] == "Økonomi i planlegging"


def test_same_name_replaces_the_view(as_user, users):
    kari = as_user("kari")
    _save(kari, "Mine", "stage=idea")
    _save(kari, "Mine", "stage=execution")
    assert [(v.name, v.query) for v in _views()] == [("Mine", "stage=execution")]


def test_views_are_private(as_user, users):
    _save(as_user("kari"), "Karis visning", "stage=idea")
    _save(as_user("ola"), "Olas visning", "stage=concept")
    html = as_user("kari").get("/portfolio").get_data(as_text=True)
    assert "Karis visning" in html and "Olas visning" not in html
    olas = next(v for v in _views() if v.name == "Olas visning")
    kari = as_user("kari")
    response = kari.post(f"/portfolio/views/{olas.id}/delete", data={"csrf_token": csrf_token(kari, "/portfolio")})
    assert response.status_code == 404
    assert len(_views()) == 2


def test_delete_own_view_with_csrf_and_audit(as_user, users):
    kari = as_user("kari")
    _save(kari, "Gammel", "stage=idea")
    view = _views()[0]
    assert kari.post(f"/portfolio/views/{view.id}/delete").status_code == 400  # no CSRF token
    response = kari.post(f"/portfolio/views/{view.id}/delete",
                         data={"csrf_token": csrf_token(kari, "/portfolio"), "query": "stage=planning"})
    assert response.status_code == 302 and response.headers["Location"] == "/portfolio?stage=planning"
    assert _views() == []
    assert db.session.scalars(db.select(AuditEvent.action).where(
        AuditEvent.action == "portfolio.view_deleted")).all() == ["portfolio.view_deleted"]


def test_save_needs_a_name_and_a_csrf_token(as_user, users):
    kari = as_user("kari")
    assert _save(kari, "Uten token", "stage=idea", token=False).status_code == 400
    response = _save(kari, "   ", "stage=idea")
    assert response.status_code == 422
    assert "Gi visningen et navn." in response.get_data(as_text=True)
    response = _save(kari, "x" * 101, "stage=idea")
    assert response.status_code == 422 and "Skriv høyst 100 tegn (nå 101)." in response.get_data(as_text=True)
    assert _views() == []


@pytest.mark.parametrize("valid", [True, False])
def test_htmx_save_returns_the_component(as_user, users, valid):
    kari = as_user("kari")
    response = _save(kari, "Min" if valid else "", "stage=idea", htmx=True)
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="saved-views"') and "<html" not in html
    if valid:
        assert response.status_code == 200 and "Visningen «Min» er lagret." in html and ">Min</a>" in html
    else:
        assert response.status_code == 422 and "Gi visningen et navn." in html
        assert 'aria-invalid="true"' in html


def test_htmx_delete_returns_the_component(as_user, users):
    kari = as_user("kari")
    _save(kari, "Borte", "stage=idea")
    view = _views()[0]
    response = kari.post(f"/portfolio/views/{view.id}/delete", headers={"HX-Request": "true"},
                         data={"csrf_token": csrf_token(kari, "/portfolio")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Visningen «Borte» er slettet." in html and ">Borte</a>" not in html


def test_the_save_form_saves_what_is_shown_now(as_user, users):
    html = as_user("kari").get("/portfolio?stage=planning&sort=budget", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    # The results block carries the query for the save form (outside the block).
    assert '<input type="hidden" name="query" value="stage=planning&amp;sort=budget&amp;dir=desc" ' \
           'form="save-view-form">' in html
