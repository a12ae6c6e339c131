"""Error pages: Norwegian, as a full page or as an htmx fragment, JSON for the API."""
from __future__ import annotations

import pytest
from flask import abort

from app.audit import record
from app.extensions import db as _db
from app.models import AuditEvent
from tests.auth.helpers import Page, fresh_request_globals  # noqa: F401 - fixture
from tests.support.factories import login_as, post_form


@pytest.fixture()
def signed_in(client, db, users):
    login_as(client, users["ida"])
    return client


def _replace_front_page(app, monkeypatch, view):
    monkeypatch.setitem(app.view_functions, "main.index", view)


def test_404_is_a_norwegian_full_page(client, db):
    response = client.get("/finnes-ikke")

    html = response.get_data(as_text=True)
    assert response.status_code == 404
    page = Page(html)
    assert page.find("html", lang="nb")
    assert page.text_of("h1") == "Fant ikke siden"
    assert "Feilkode 404" in html
    assert page.find("a", href="/")  # a way back
    assert "Not Found" not in html


def test_404_for_htmx_is_a_fragment_without_the_page_frame(htmx, db):
    response = htmx.get("/finnes-ikke")

    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Fant ikke siden" in html
    assert "<html" not in html and "<head" not in html and "<header" not in html
    assert 'id="error"' in html


def test_403_is_a_norwegian_page(app, signed_in, monkeypatch):
    _replace_front_page(app, monkeypatch, lambda: abort(403))
    response = signed_in.get("/")

    assert response.status_code == 403
    assert Page(response.get_data(as_text=True)).text_of("h1") == "Ingen tilgang"


def test_our_own_abort_description_is_shown(app, signed_in, monkeypatch):
    _replace_front_page(app, monkeypatch,
                        lambda: abort(403, "Bare prosjekteieren kan gjøre dette."))
    html = signed_in.get("/").get_data(as_text=True)
    assert "Bare prosjekteieren kan gjøre dette." in html


def test_405_is_a_norwegian_page_and_names_the_allowed_methods(signed_in):
    response = signed_in.get("/logout")

    assert response.status_code == 405
    assert Page(response.get_data(as_text=True)).text_of("h1") == "Ikke tillatt"
    assert "POST" in response.headers.get("Allow", "")


@pytest.fixture()
def errors_not_propagated(app, monkeypatch):
    """As in production: an unhandled exception becomes the 500 page, not a test crash."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


def test_500_shows_a_norwegian_page_and_rolls_back(app, signed_in, errors_not_propagated,
                                                   monkeypatch):
    def broken():
        record("test.half_done", note="skulle aldri lagres")
        _db.session.flush()
        raise RuntimeError("boom")

    _replace_front_page(app, monkeypatch, broken)
    response = signed_in.get("/")

    html = response.get_data(as_text=True)
    assert response.status_code == 500
    page = Page(html)
    assert page.find("html", lang="nb")
    assert page.text_of("h1") == "Noe gikk galt"
    assert "boom" not in html and "Traceback" not in html
    # Looked at through a separate connection: only what was really committed counts.
    with _db.engine.connect() as connection:
        actions = connection.execute(_db.select(AuditEvent.action)).scalars().all()
    assert "test.half_done" not in actions


def test_500_for_htmx_is_a_fragment(app, htmx, db, users, errors_not_propagated,
                                    monkeypatch):
    login_as(htmx, users["ida"])
    _replace_front_page(app, monkeypatch, lambda: 1 / 0)
    response = htmx.get("/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Noe gikk galt" in html and "<html" not in html


def test_500_is_logged_with_the_traceback(app, signed_in, errors_not_propagated,
                                          monkeypatch, caplog):
    import logging

    def broken():
        raise RuntimeError("boom-for-loggen")

    monkeypatch.setattr(app.logger, "disabled", False)
    caplog.set_level(logging.ERROR)
    _replace_front_page(app, monkeypatch, broken)
    signed_in.get("/")
    assert "boom-for-loggen" in caplog.text


def test_api_404_is_json(client, db):
    response = client.get("/api/finnes-ikke")

    assert response.status_code == 404
    assert response.is_json
    body = response.get_json()
    assert body["status"] == 404
    assert body["error"] == "Fant ikke siden"


def test_429_and_503_tell_when_to_try_again(app, signed_in, monkeypatch):
    _replace_front_page(app, monkeypatch, lambda: abort(503))
    response = signed_in.get("/")
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert Page(response.get_data(as_text=True)).text_of("h1") == "Tjenesten er utilgjengelig"


def test_a_conflict_no_tab_answered_shows_what_was_typed_under_the_forms_labels(app, signed_in, monkeypatch):
    """The safety net for a stale save a route forgot to catch: 409, a plain Norwegian
    explanation, what was typed under the labels the form showed (choices as their
    text), only to copy (sending it again would meet the same conflict), and the way back."""
    from app.concurrency import StaleEdit

    def forgot_to_catch(**_kw):
        raise StaleEdit(None)

    monkeypatch.setitem(app.view_functions, "plan.update_risk", forgot_to_catch)
    response = post_form(signed_in, "/projects/9/risks/1", {
        "version": "3", "kind": "risk", "description": "Leverandøren leverer for sent",
        "probability": "4", "consequence": "5", "strategy": "reduce", "action": "", "q": ""},
        headers={"Referer": "http://localhost/projects/9/risks"})

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    page = Page(html)
    text = " ".join(page.text_of("main").split())
    assert "Noen andre lagret en endring her mens du skrev, så det du sendte er ikke lagret." in text
    assert ">Beskrivelse</label>" in html and 'readonly value="Leverandøren leverer for sent"' in html
    assert "Sannsynlighet 4 – Sannsynlig" in text and "Strategi Redusere" in text
    for raw in ("version", "description", "probability", "reduce", " q "):
        assert raw not in text, raw
    assert "Send på nytt" not in text and "Tilbake til siden" in text
    assert page.find("a", href="http://localhost/projects/9/risks")
