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

from datetime import timedelta

from flask import request
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.audit import record
from app.extensions import db
from app.models import ApiToken, User
from app.personal_secrets import find_by_secret, hash_secret, new_secret, revoke, secret_pattern
from app.personal_secrets import touch as touch_secret

#: every token starts with this, so secret scanners and people can recognise it
TOKEN_PREFIX = "fp_"
TOKEN_RE = secret_pattern(TOKEN_PREFIX)
#: last_used_at is written at most this often, to spare the database a write per request
TOUCH_INTERVAL = timedelta(seconds=60)
#: how many active tokens one person may hold
MAX_ACTIVE_TOKENS = 20


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
    prefix, plaintext = new_secret(ApiToken, TOKEN_PREFIX)
    token = ApiToken(user_id=user.id, name=name.strip(), prefix=prefix, token_hash=hash_secret(plaintext))
    db.session.add(token)
    db.session.flush()
    record("api_token.created", actor=user, obj=token, name=token.name, prefix=prefix)
    return token, plaintext


def revoke_token(token: ApiToken, user: User) -> bool:
    """Revoke `token` (its owner checked by the caller). False when it already was."""
    if not revoke(token):
        return False
    record("api_token.revoked", actor=user, obj=token, name=token.name, prefix=token.prefix)
    return True


def find_active_token(plaintext: str) -> ApiToken | None:
    """The active token with this text, or None (unknown, malformed or revoked)."""
    token = find_by_secret(ApiToken, TOKEN_RE, plaintext, joinedload(ApiToken.user))
    # A person who left (flask directory sync) loses their tokens' access at once.
    return token if token is not None and token.is_active and token.user.active else None


def touch(token: ApiToken) -> None:
    """Note the use, at most once per TOUCH_INTERVAL (the request's commit saves it)."""
    touch_secret(token, TOUCH_INTERVAL)


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
