"""Helpers for the foundation tests (sign-in, sessions, pages).

`fresh_request_globals` works around a property of the shared fixtures: while the `db`
fixture holds an application context, every test-client request reuses it, so Flask's `g`
(where Flask-Login caches `current_user` and Flask-WTF the CSRF token) would survive from
one request to the next within a test. In production every request has its own `g`;
this fixture restores that, so "sign out, then reuse the cookie" tests what a browser sees.
"""
from __future__ import annotations

import logging
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import g, request_started

from app.extensions import db as _db
from app.models import AuditEvent, UserSession
from tests.support.factories import csrf_token

COOKIE = "faseport_session"


@pytest.fixture(autouse=True)
def fresh_request_globals(app):
    """Give every request in the test an empty `g`, as a real server does."""

    def clear(sender, **extra):
        vars(g).clear()

    request_started.connect(clear, app)
    yield
    request_started.disconnect(clear, app)


@pytest.fixture()
def app_logs(caplog):
    """caplog at DEBUG for every logger, including those Alembic's fileConfig disabled."""
    disabled = [logger for logger in logging.Logger.manager.loggerDict.values()
                if isinstance(logger, logging.Logger) and logger.disabled]
    for logger in disabled:
        logger.disabled = False
    caplog.set_level(logging.DEBUG)
    yield caplog
    for logger in disabled:
        logger.disabled = True


def sign_in(client, username: str = "ida", password: str = "demo", next: str | None = None,
            **extra):
    """Fill in and send the real sign-in form, CSRF token included."""
    data = {"username": username, "password": password,
            "csrf_token": csrf_token(client, "/login")}
    if next is not None:
        data["next"] = next
    data.update(extra)
    return client.post("/login", data=data)


def location_path(response) -> str:
    """The path (and query) a redirect points to; asserts it stays on this site."""
    parts = urlsplit(response.headers["Location"])
    assert parts.scheme in ("", "http") and parts.netloc in ("", "localhost"), parts
    return parts.path + (f"?{parts.query}" if parts.query else "")


def login_next(url: str) -> str | None:
    """The `next` parameter of a /login URL (None when absent)."""
    parts = urlsplit(url)
    assert parts.path == "/login", url
    values = parse_qs(parts.query).get("next")
    return values[0] if values else None


def audit_events(action: str | None = None) -> list[AuditEvent]:
    query = _db.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(_db.session.scalars(query))


def session_rows() -> list[UserSession]:
    return list(_db.session.scalars(_db.select(UserSession)))


def cookie_value(client) -> str | None:
    cookie = client.get_cookie(COOKIE)
    return cookie.value if cookie else None


def signed_in_name(client) -> str | None:
    """Who the header says is signed in on the front page, or None when sent to /login."""
    response = client.get("/")
    if response.status_code == 302:
        return None
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    return page.text_of("span", **{"data-testid": "signed-in-as"})


class Page(HTMLParser):
    """A tiny HTML reader: every start tag with its attributes, and text per element."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.tags: list[tuple[str, dict]] = []
        self._open: list[list] = []
        self.texts: list[tuple[str, dict, str]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value if value is not None else "") for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag not in {"input", "meta", "link", "img", "br", "hr"}:
            self._open.append([tag, attributes, []])

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                name, attributes, parts = self._open.pop(index)
                text = " ".join("".join(parts).split())
                self.texts.append((name, attributes, text))
                if self._open:
                    self._open[-1][2].append(" " + "".join(parts) + " ")
                return

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags
                if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def text_of(self, tag: str, **attrs) -> str | None:
        for t, a, text in self.texts:
            if t == tag and all(a.get(k) == v for k, v in attrs.items()):
                return text
        return None

    def input_value(self, name: str) -> str | None:
        for attributes in self.find("input"):
            if attributes.get("name") == name:
                return attributes.get("value")
        return None
