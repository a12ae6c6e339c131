"""Server-side sessions on top of Flask-Login.

The signed cookie holds only a random token; the token's hash lives in `user_session`.
Signing out deletes the row, so a cookie copied before sign-out no longer works, and a
session unused for SESSION_IDLE_MINUTES ends by itself.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import Flask, current_app, redirect, request, session, url_for
from flask_login import LoginManager

from app.extensions import db
from app.models import User, UserSession
from app.models.base import utcnow

SESSION_KEY = "sid"
#: how often last_seen_at is written, to spare the database a write on every request
TOUCH_INTERVAL = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, ip: str) -> None:
    """Begin a fresh session for `user`: the old cookie content is thrown away.

    A session the browser still held (someone else signed in on this browser, or a
    planted cookie) is ended on the server too, so its cookie is worthless afterwards.
    """
    end_session()
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=_hash(token), user=user, ip=ip))
    session[SESSION_KEY] = token
    session.permanent = True


def end_session() -> None:
    """Delete the server-side session and empty the cookie."""
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(db.delete(UserSession).where(UserSession.token_hash == _hash(token)))
    session.clear()


def load_session_user() -> User | None:
    """The person behind the cookie's token, if the session still exists and is not idle."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    row = db.session.execute(
        db.select(UserSession).where(UserSession.token_hash == _hash(token))
    ).scalar_one_or_none()
    if row is None:
        session.pop(SESSION_KEY, None)
        return None
    now = utcnow()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    # Idle too long, or older than SESSION_MAX_HOURS: the signed cookie is re-issued on
    # every request, so only the server can enforce the maximum lifetime.
    too_old = now - row.created_at > current_app.permanent_session_lifetime
    if not row.user.active:
        # Gone from the directory or disabled (flask directory sync): the session ends.
        db.session.delete(row)
        session.pop(SESSION_KEY, None)
        return None
    if now - row.last_seen_at > idle or too_old:
        db.session.delete(row)
        session.pop(SESSION_KEY, None)
        session["expired"] = True
        return None
    # The bell's polling is not activity: it must not keep an idle session alive.
    if now - row.last_seen_at > TOUCH_INTERVAL and not request.headers.get("X-Faseport-Poll"):
        row.last_seen_at = now
    return row.user


def init_app(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the sign-in page explains itself
    login_manager.session_protection = None  # the server-side session does this job

    @login_manager.request_loader
    def _load(_request):
        return load_session_user()

    @login_manager.unauthorized_handler
    def _unauthorized():
        is_htmx = request.headers.get("HX-Request") == "true"
        if is_htmx:
            # Come back to the page the person was on, not to the fragment's URL.
            target = request.headers.get("HX-Current-URL") or request.referrer or "/"
        elif request.method == "GET":
            target = request.full_path
        else:
            target = request.referrer or "/"
        login_url = url_for("auth.login", next=_local_path(target))
        if is_htmx:
            # htmx must not swap the sign-in page into a fragment: send the browser there.
            return "", 401, {"HX-Redirect": login_url}
        if request.path.startswith("/api/"):
            from app.errors import render_error
            return render_error(401)
        return redirect(login_url)


def _local_path(target: str | None) -> str:
    """Only same-site paths are allowed as `next` (no open redirect)."""
    from urllib.parse import urlsplit

    if not target:
        return "/"
    # Browsers read a backslash as "/" and drop tabs and newlines inside URLs, so such
    # a `next` could still lead off the site (to //evil.example): refuse it outright.
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return "/"
    parts = urlsplit(target)
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//"):
        return "/"
    return path + (f"?{parts.query}" if parts.query else "")
