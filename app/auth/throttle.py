"""Rate limit for sign-in, per username and per address.

Counted in the database so that every gunicorn worker sees the same numbers. The per-user
limit sits below Active Directory's usual lockout threshold so that Faseport never locks
anyone's municipal account.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func

from app.extensions import db
from app.models import LoginAttempt
from app.models.base import utcnow


def is_limited(username: str, ip: str) -> bool:
    """True when this username has failed too often, or this address tried too often."""
    cfg = current_app.config
    since = utcnow() - timedelta(seconds=cfg["LOGIN_WINDOW_SECONDS"])
    failures = db.session.scalar(
        db.select(func.count(LoginAttempt.id)).where(
            LoginAttempt.username == username.lower(),
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at >= since,
        )
    )
    if failures >= cfg["LOGIN_MAX_FAILURES_PER_USER"]:
        return True
    attempts = db.session.scalar(
        db.select(func.count(LoginAttempt.id)).where(
            LoginAttempt.ip == ip, LoginAttempt.at >= since
        )
    )
    return attempts >= cfg["LOGIN_MAX_ATTEMPTS_PER_IP"]


def note_attempt(username: str, ip: str, succeeded: bool) -> None:
    db.session.add(LoginAttempt(username=username.lower(), ip=ip, succeeded=succeeded))
    if succeeded:
        # A successful sign-in forgives this name's earlier typos.
        db.session.execute(
            db.delete(LoginAttempt).where(
                LoginAttempt.username == username.lower(), LoginAttempt.succeeded.is_(False)
            )
        )
