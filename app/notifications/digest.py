"""The daily digest: one e-mail each morning listing the notifications a person chose to
get that way (app.notifications.kinds), sent by `flask reminders send`.

The digest of a day lists what arrived before DIGEST_HOUR that morning (Oslo time) and
has not been in a digest; it goes out at the first run after that hour, once: the day's
key in the reminders' once-only table (kind "digest") is taken in the same transaction
as the mail, so two servers running at once send one digest.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import ngettext
from sqlalchemy import select, update

from app.extensions import db
from app.models import Notification, User
from app.models.base import utcnow
from app.notifications.kinds import TOPICS, topic_of
from app.notifications.messages import recipient_locale
from app.notifications.services import absolute_url, is_reachable, preferences_url, queue_mail
from app.reminders.keys import claim
from app.reminders.periods import oslo_moment, oslo_today


def send_digests(now: datetime | None = None) -> int:
    """Queue the morning digests that are due at `now`; returns how many were queued."""
    now = now or utcnow()
    today = oslo_today(now)
    cutoff = oslo_moment(today, int(current_app.config["DIGEST_HOUR"]))
    if now < cutoff:
        return 0
    waiting = _waiting(cutoff)
    user_ids = list(db.session.execute(
        select(Notification.user_id).where(*waiting).distinct().order_by(Notification.user_id)).scalars())
    db.session.rollback()
    queued = 0
    for user_id in user_ids:
        if not claim("digest", user_id, today.isoformat(), user_id):
            db.session.rollback()  # another run sent today's digest
            continue
        user = db.session.get(User, user_id)
        items = list(db.session.execute(
            select(Notification).where(Notification.user_id == user_id, *waiting)
            .order_by(Notification.created_at, Notification.id)).scalars())
        if items and is_reachable(user) and (user.email or "").strip():
            with recipient_locale(user):
                subject, body = render_digest(user, items)
            queue_mail(user, subject, body)
            queued += 1
        db.session.execute(update(Notification)
                           .where(Notification.id.in_([n.id for n in items]),
                                  Notification.digested_at.is_(None))
                           .values(digested_at=now).execution_options(synchronize_session=False))
        db.session.commit()
    return queued


def _waiting(cutoff: datetime) -> tuple:
    return (Notification.delivery == "digest", Notification.digested_at.is_(None),
            Notification.created_at < cutoff)


def render_digest(user: User, items: list[Notification]) -> tuple[str, str]:
    """(subject, body) of one person's digest, grouped by topic in the profile's order."""
    groups = []
    for topic in TOPICS:
        mine = [n for n in items if topic_of(n.kind).code == topic.code]
        if mine:
            groups.append((topic, [(n, absolute_url(n.url)) for n in mine]))
    subject = ngettext("Faseport: %(num)d nytt varsel", "Faseport: %(num)d nye varsler", len(items))
    body = current_app.jinja_env.get_template("notifications/digest.txt").render(
        name=user.display_name or user.username, groups=groups, count=len(items),
        list_link=absolute_url("/notifications/"), preferences_link=preferences_url())
    return subject, body.strip() + "\n"
