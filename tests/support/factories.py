"""Factories and sign-in helpers, loaded as a pytest plugin by tests/conftest.py."""
from __future__ import annotations

import hashlib
import re
import secrets

import pytest

from app.extensions import db
from app.models import User, UserSession

CSRF_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')


def make_user(username: str = "ida", *, display_name: str | None = None, unit: str = "Helse og omsorg",
              roles=(), leader: str | None = None, email: str | None = None) -> User:
    """A committed user, as if they had signed in once."""
    user = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        user = User(directory_id=f"test-{username}", username=username)
        db.session.add(user)
    user.display_name = display_name or username.capitalize()
    user.email = email if email is not None else f"{username}@demo.kommune.no"
    user.unit = unit
    user.title = ""
    user.leader_username = leader
    user.roles = set(roles)
    db.session.commit()
    return user


def login_as(client, user: User) -> User:
    """Give `client` a live server-side session for `user` (no directory round-trip)."""
    token = secrets.token_urlsafe(16)
    db.session.add(UserSession(token_hash=hashlib.sha256(token.encode()).hexdigest(), user_id=user.id))
    db.session.commit()
    with client.session_transaction() as sess:
        sess.clear()
        sess["sid"] = token
    return user


def csrf_token(client, path: str = "/") -> str:
    """The CSRF token a page gives this client, as a browser would read it."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, url: str, data: dict | None = None, *, page: str = "/", **kwargs):
    """POST a form with a valid CSRF token, as the browser does."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client, page))
    return client.post(url, data=data, **kwargs)


@pytest.fixture()
def users(db):
    """The core demo cast as local users."""
    return {
        "ida": make_user("ida", display_name="Ida Berg", leader="ola"),
        "ola": make_user("ola", display_name="Ola Nordmann", leader="randi"),
        "kari": make_user("kari", display_name="Kari Nordmann", unit="Rådmannens stab", leader="randi"),
        "per": make_user("per", display_name="Per Hansen", unit="IKT", roles={"ikt"}),
        "siri": make_user("siri", display_name="Siri Lie", unit="Rådmannens stab", roles={"personvern"}),
        "lise": make_user("lise", display_name="Lise Johansen", unit="Rådmannens stab", roles={"portefolje"}),
        "admin": make_user("admin", display_name="Adam Berge", unit="IKT", roles={"admin"}),
        "randi": make_user("randi", display_name="Randi Strand", unit="Rådmannens stab"),
    }
