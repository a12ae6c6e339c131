"""Secrets a person holds (API tokens, calendar addresses; models with PersonalSecret):
made, found and revoked the same way. A secret looks like ``<marker><prefix>_<43 random
characters>``; the prefix (8 hex digits) is stored as is, to find the row and to let the
person recognise it, and the whole secret only as its SHA-256 hash."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from app.extensions import db
from app.models.base import utcnow


def hash_secret(text: str) -> str:
    """The stored form of a secret: SHA-256, hex."""
    return hashlib.sha256(text.encode()).hexdigest()


def secret_pattern(marker: str) -> re.Pattern:
    """What a secret with this marker ("fp_", "fc_") looks like; group 1 is its prefix."""
    return re.compile(rf"^{re.escape(marker)}([0-9a-f]{{8}})_([A-Za-z0-9_-]{{40,64}})$")


def new_secret(model, marker: str) -> tuple[str, str]:
    """A prefix no row of `model` uses yet (collisions are rare) and the whole secret,
    which the caller stores hashed and shows once."""
    while True:
        prefix = secrets.token_hex(4)
        if db.session.execute(db.select(model.id).where(model.prefix == prefix)).first() is None:
            return prefix, f"{marker}{prefix}_{secrets.token_urlsafe(32)}"


def find_by_secret(model, pattern: re.Pattern, text: str | None, *options):
    """The row of `model` this secret belongs to (loaded with `options`), or None for an
    unknown or malformed one. Revoked rows are found too: the caller decides."""
    match = pattern.match(text or "")
    if match is None:
        return None
    row = db.session.execute(
        db.select(model).where(model.prefix == match.group(1)).options(*options)).scalar_one_or_none()
    if row is None or not hmac.compare_digest(row.token_hash, hash_secret(text)):
        return None
    return row


def revoke(row) -> bool:
    """Revoke it (its owner checked by the caller); False when it already was."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    db.session.flush()
    return True


def touch(row, interval: timedelta) -> None:
    """Note the use, at most once per `interval` (the request's commit saves it)."""
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= interval:
        row.last_used_at = now
