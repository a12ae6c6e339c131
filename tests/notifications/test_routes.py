"""The notification pages and the bell, as a signed-in person uses them."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import render_template_string
from sqlalchemy import event

from app.extensions import db as _db
from app.models import OutboxMail
from app.models.base import utcnow
from app.notifications.services import notify, unread_count
from tests.notifications.helpers import notifications
from tests.support.factories import csrf_token, login_as, post_form

PAGE = "/notifications/"


def _notify(user, text, url="/projects/1"):
    n = notify(user, "gate_requested", text, url)
    _db.session.commit()
    return n


# --- access -----------------------------------------------------------------------------
@pytest.mark.parametrize("method,path", [
    ("get", "/notifications/"), ("get", "/notifications/bell"),
])
def test_pages_need_sign_in(client, db, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_bell_answers_an_expired_htmx_poll_with_a_redirect_to_sign_in(htmx, db):
    response = htmx.get("/notifications/bell")
    assert response.status_code == 401
    assert "/login" in response.headers["HX-Redirect"]


# --- the list ---------------------------------------------------------------------------
def test_list_shows_my_notifications_newest_first_with_unread_marked(client, db, users):
    ida = login_as(client, users["ida"])
    old = _notify(ida, "Eldre varsel", "/projects/1")
    _notify(ida, "Nyere varsel", "/projects/2")
    _notify(users["ola"], "Olas varsel")
    old.read_at = utcnow() - timedelta(minutes=1)
    old.created_at = utcnow() - timedelta(days=1)
    _db.session.commit()

    html = client.get(PAGE).get_data(as_text=True)
    assert '<h1 id="notifications-title"' in html
    assert html.index("Nyere varsel") < html.index("Eldre varsel")
    assert "Olas varsel" not in html
    assert html.count(">Ulest<") == 1
    assert "Du har 1 ulest varsel." in html
    # Each notification opens through a POST that marks it read.
    assert re.search(r'action="/notifications/\d+/open"', html)


def test_empty_list_says_so(client, db, users):
    login_as(client, users["ida"])
    html = client.get(PAGE).get_data(as_text=True)
    assert "Du har ingen varsler ennå." in html
    assert "Merk alle som lest" not in html


def test_mark_all_read(client, db, users):
    ida = login_as(client, users["ida"])
    _notify(ida, "Første")
    _notify(ida, "Andre")
    _notify(users["ola"], "Olas")
    response = post_form(client, "/notifications/read", page=PAGE)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(PAGE)
    assert unread_count(ida) == 0
    assert unread_count(users["ola"]) == 1
    assert "Alle varsler er merket som lest." in client.get(PAGE).get_data(as_text=True)


def test_mark_all_read_with_htmx_returns_the_list_and_tells_the_bell(htmx, db, users):
    ida = login_as(htmx, users["ida"])
    _notify(ida, "Første")
    response = htmx.post("/notifications/read", data={"csrf_token": csrf_token(htmx, PAGE)})
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "notifications-changed"
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="notification-list"')
    assert "<html" not in html
    assert "Alle varsler er merket som lest." in html
    assert 'id="mark-all-read"' in html  # same id: focus stays on the button after the swap
    assert unread_count(ida) == 0


def test_open_marks_read_and_goes_to_the_notification_url(client, db, users):
    ida = login_as(client, users["ida"])
    n = _notify(ida, "Godkjenn BP2", "/projects/7/gates/2")
    response = post_form(client, f"/notifications/{n.id}/open", page=PAGE)
    assert response.status_code == 303
    assert response.headers["Location"] == "/projects/7/gates/2"
    [stored] = notifications()
    assert stored.read_at is not None


def test_cannot_open_someone_elses_notification(client, db, users):
    login_as(client, users["ida"])
    theirs = _notify(users["ola"], "Olas varsel")
    response = post_form(client, f"/notifications/{theirs.id}/open", page=PAGE)
    assert response.status_code == 404
    assert notifications()[0].read_at is None


def test_opening_a_missing_notification_is_404(client, db, users):
    login_as(client, users["ida"])
    assert post_form(client, "/notifications/999999/open", page=PAGE).status_code == 404


@pytest.mark.parametrize("path", ["/notifications/read", "/notifications/{id}/open"])
def test_posts_without_csrf_token_are_refused(client, db, users, path):
    ida = login_as(client, users["ida"])
    n = _notify(ida, "Varsel")
    response = client.post(path.format(id=n.id), data={})
    assert response.status_code == 400
    assert notifications()[0].read_at is None


# --- the bell ---------------------------------------------------------------------------
def test_bell_fragment_shows_the_unread_count(client, db, users):
    ida = login_as(client, users["ida"])
    for i in range(3):
        _notify(ida, f"Varsel {i}")
    response = client.get("/notifications/bell")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="notification-bell"')
    assert "<html" not in html
    assert 'hx-get="/notifications/bell"' in html
    assert 'hx-trigger="every 30s' in html
    assert 'hx-swap="outerHTML"' in html
    assert 'aria-label="Varsler, 3 uleste"' in html
    assert 'class="ds-badge" data-color="danger" data-count="3"' in html
    assert f'href="{PAGE}"' in html
    assert "<script" not in html and "hx-on" not in html
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("count,label,badge", [
    (0, "Varsler, ingen uleste", None),
    (1, "Varsler, 1 ulest", "1"),
    (100, "Varsler, 100 uleste", "99+"),
])
def test_bell_label_and_badge(client, db, users, count, label, badge):
    ida = login_as(client, users["ida"])
    for i in range(count):
        notify(ida, "x", f"Varsel {i}", "/")
    _db.session.commit()
    html = client.get("/notifications/bell").get_data(as_text=True)
    assert f'aria-label="{label}"' in html
    if badge is None:
        assert "ds-badge\"" not in html and "data-count" not in html
    else:
        assert f'data-count="{badge}"' in html


def test_bell_counts_with_a_single_count_query(app, client, db, users):
    ida = login_as(client, users["ida"])
    _notify(ida, "Varsel")
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", remember)
    try:
        client.get("/notifications/bell")
    finally:
        event.remove(_db.engine, "before_cursor_execute", remember)
    about_notifications = [s for s in statements if "notification" in s.lower()]
    assert len(about_notifications) == 1
    assert "count(" in about_notifications[0].lower()


def test_bell_renders_inside_a_page(app, db, users, client):
    """What base.html's header_tools block includes: the same component, same count."""
    ida = login_as(client, users["ida"])
    _notify(ida, "Varsel")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    with app.test_request_context("/", environ_base={
            "HTTP_COOKIE": f"{cookie.key}={cookie.value}"}):
        html = render_template_string('{% include "notifications/_bell.html" %}')
    assert html.lstrip().startswith('<div id="notification-bell"')
    assert 'aria-label="Varsler, 1 ulest"' in html


# --- developer outbox -------------------------------------------------------------------
@pytest.mark.parametrize("who,status", [
    ("admin", 200),
    ("ida", 404),  # mail about restricted projects is there: no one else, in any mode
    ("lise", 404),
    (None, 302),  # to sign-in
])
def test_dev_outbox_is_for_administrators_only(app, client, db, users, who, status):
    if who:
        login_as(client, users[who])
    assert client.get("/dev/outbox").status_code == status


def test_dev_outbox_lists_mail_newest_first_with_status_in_norwegian(app, client, db, users,
                                                                      monkeypatch):
    login_as(client, users["admin"])
    now = utcnow()
    rows = [
        ("queued", "Eldst i kø", "", now - timedelta(hours=4)),
        ("sent", "Sendt e-post", "", now - timedelta(hours=3)),
        ("logged", "Logget e-post", "", now - timedelta(hours=2)),
        ("failed", "Feilet e-post", "SMTPRecipientsRefused: 550 ukjent mottaker", now - timedelta(hours=1)),
    ]
    for status, subject, error, created in rows:
        _db.session.add(OutboxMail(to_addr="ida@demo.kommune.no", to_name="Ida Berg",
                                   subject=subject, body=f"Hei Ida,\n\n{subject} – innhold\n",
                                   status=status, attempts=2 if error else 1,
                                   last_error=error, created_at=created))
    _db.session.commit()

    html = client.get("/dev/outbox").get_data(as_text=True)
    positions = [html.index(subject) for _, subject, _, _ in rows]
    assert positions == sorted(positions, reverse=True)  # newest first
    status_cells = dict(re.findall(
        r'<tr data-status="(\w+)">.*?<td class="outbox-status">\s*([^<]+?)\s*(?:<br>|</td>)', html, re.S))
    assert status_cells == {"queued": "I kø", "sent": "Sendt", "logged": "Skrevet til logg",
                            "failed": "Feilet"}
    assert "550 ukjent mottaker" in html
    main = html.split("<main", 1)[1]  # the header has a <details> of its own (the language menu)
    assert main.count("<details") == 4 and "Feilet e-post – innhold" in html
    assert html.count('scope="col"') == 4
    assert "Ida Berg &lt;ida@demo.kommune.no&gt;" in html
