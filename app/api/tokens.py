"""Personal API tokens: creating, revoking, and signing in API requests with them.

A token looks like ``fp_1a2b3c4d_<43 random characters>``. The part after ``fp_`` up to
the second underscore is the public prefix, stored as is so that the row can be found
and the person can recognise the token in their list; the whole token is stored only as
its SHA-256 hash. The token acts as its person: the API answers with exactly what that
person may see in the browser.

Requests under /api/v1 with ``Authorization: Bearer <token>`` are signed in by
`authenticate_bearer` (a before-request hook of the API blueprint, in app/api/routes.py);
an unknown, malformed or revoked token gets 401, even if the browser also sent a session
cookie.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from flask import request
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.audit import record
from app.extensions import db
from app.models import ApiToken, User
from app.models.base import utcnow

#: every token starts with this, so secret scanners and people can recognise it
TOKEN_PREFIX = "fp_"
TOKEN_RE = re.compile(r"^fp_([0-9a-f]{8})_([A-Za-z0-9_-]{40,64})$")
#: last_used_at is written at most this often, to spare the database a write per request
TOUCH_INTERVAL = timedelta(seconds=60)
#: how many active tokens one person may hold
MAX_ACTIVE_TOKENS = 20


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_prefix() -> str:
    """A public prefix not used by any token yet (8 hex digits: collisions are rare)."""
    while True:
        prefix = secrets.token_hex(4)
        if db.session.execute(db.select(ApiToken.id).where(ApiToken.prefix == prefix)).first() is None:
            return prefix


def active_tokens_count(user: User) -> int:
    return db.session.execute(
        db.select(db.func.count()).select_from(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).scalar_one()


def tokens_of(user: User) -> list[ApiToken]:
    """The person's tokens: active ones first, newest first."""
    return list(db.session.execute(
        db.select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ).scalars())


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the plaintext token, which the
    caller shows once and then forgets."""
    prefix = _new_prefix()
    plaintext = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user_id=user.id, name=name.strip(), prefix=prefix, token_hash=hash_token(plaintext))
    db.session.add(token)
    db.session.flush()
    record("api_token.created", actor=user, obj=token, name=token.name, prefix=prefix)
    return token, plaintext


def revoke_token(token: ApiToken, user: User) -> bool:
    """Revoke `token` (its owner checked by the caller). False when it already was."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    db.session.flush()
    record("api_token.revoked", actor=user, obj=token, name=token.name, prefix=token.prefix)
    return True


def find_active_token(plaintext: str) -> ApiToken | None:
    """The active token with this text, or None (unknown, malformed or revoked)."""
    match = TOKEN_RE.match(plaintext)
    if match is None:
        return None
    token = db.session.execute(
        db.select(ApiToken).where(ApiToken.prefix == match.group(1)).options(joinedload(ApiToken.user))
    ).scalar_one_or_none()
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(plaintext)):
        return None
    # A person who left (flask directory sync) loses their tokens' access at once.
    return token if token.is_active and token.user.active else None


def touch(token: ApiToken) -> None:
    """Note the use, at most once per TOUCH_INTERVAL (the request's commit saves it)."""
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        token.last_used_at = now


def bearer_value() -> str | None:
    """The token of an `Authorization: Bearer …` header; "" for another or an empty
    Authorization header; None when the request has none (browser session)."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return value.strip()


def describe_token_event(event) -> str | None:
    """Norwegian sentences for token events (shown where the audit log is read)."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    if event.action == "api_token.created":
        return _("%(who)s lagde API-nøkkelen «%(n)s» (%(p)s…).", who=who, n=d.get("name", ""),
                 p=TOKEN_PREFIX + d.get("prefix", ""))
    if event.action == "api_token.revoked":
        return _("%(who)s trakk tilbake API-nøkkelen «%(n)s» (%(p)s…).", who=who, n=d.get("name", ""),
                 p=TOKEN_PREFIX + d.get("prefix", ""))
    return None
