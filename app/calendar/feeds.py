"""Calendar feed addresses: create, revoke, find. Like app/api/tokens.py: the secret is
shown once, and only its SHA-256 is stored.

An address looks like ``/calendar/feeds/fc_1a2b3c4d_<43 random characters>.ics``. A
person has at most one active personal address and one per project: making a new one
revokes the old, so a leaked address is shut by making a new one.
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.audit import record
from app.extensions import db
from app.models import CalendarFeed, User
from app.models.base import utcnow
from app.personal_secrets import find_by_secret, hash_secret, new_secret, revoke, secret_pattern
from app.personal_secrets import touch as touch_secret

TOKEN_PREFIX = "fc_"
TOKEN_RE = secret_pattern(TOKEN_PREFIX)
#: last_used_at is written at most this often (calendars poll every few minutes to hours)
TOUCH_INTERVAL = timedelta(hours=1)


def feeds_of(user: User) -> list[CalendarFeed]:
    """The person's addresses: active ones first, the personal one before project ones."""
    return list(db.session.execute(
        select(CalendarFeed).where(CalendarFeed.user_id == user.id)
        .options(joinedload(CalendarFeed.project))
        .order_by(CalendarFeed.revoked_at.is_not(None), CalendarFeed.project_id.is_not(None),
                  CalendarFeed.created_at.desc(), CalendarFeed.id.desc())).scalars())


def create_feed(user: User, project=None) -> tuple[CalendarFeed, str]:
    """A new address for the person (or for one project, as the person sees it); the
    previous active one for the same calendar is revoked. Returns the row and the secret,
    which the caller shows once."""
    project_id = project.id if project is not None else None
    same = [CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None),
            CalendarFeed.project_id.is_(None) if project_id is None else CalendarFeed.project_id == project_id]
    db.session.execute(update(CalendarFeed).where(*same).values(revoked_at=utcnow())
                       .execution_options(synchronize_session=False))
    prefix, plaintext = new_secret(CalendarFeed, TOKEN_PREFIX)
    feed = CalendarFeed(user_id=user.id, project_id=project_id, prefix=prefix,
                        token_hash=hash_secret(plaintext))
    db.session.add(feed)
    db.session.flush()
    record("calendar_feed.created", actor=user, obj=feed, project_id=project_id, prefix=prefix,
           title=project.title if project is not None else None)
    return feed, plaintext


def revoke_feed(feed: CalendarFeed, user: User) -> bool:
    """Revoke the address; False when it already was."""
    if not revoke(feed):
        return False
    record("calendar_feed.revoked", actor=user, obj=feed, project_id=feed.project_id, prefix=feed.prefix,
           title=feed.project.title if feed.project is not None else None)
    return True


def find_active_feed(plaintext: str) -> CalendarFeed | None:
    """The active feed with this secret, or None (unknown, malformed or revoked)."""
    feed = find_by_secret(CalendarFeed, TOKEN_RE, plaintext, joinedload(CalendarFeed.user),
                          joinedload(CalendarFeed.project))
    return feed if feed is not None and feed.is_active else None


def touch(feed: CalendarFeed) -> None:
    """Note the fetch, at most once per TOUCH_INTERVAL (the request's commit saves it)."""
    touch_secret(feed, TOUCH_INTERVAL)


def describe_feed_event(event) -> str | None:
    """Norwegian sentences for calendar address events."""
    d = event.data or {}
    who = event.actor_name or _("Systemet")
    what = (_("kalenderadressen for «%(t)s»", t=d["title"]) if d.get("title")
            else _("den personlige kalenderadressen sin"))
    if event.action == "calendar_feed.created":
        return _("%(who)s lagde %(what)s (%(p)s…).", who=who, what=what, p=TOKEN_PREFIX + d.get("prefix", ""))
    if event.action == "calendar_feed.revoked":
        return _("%(who)s trakk tilbake %(what)s (%(p)s…).", who=who, what=what, p=TOKEN_PREFIX + d.get("prefix", ""))
    return None
