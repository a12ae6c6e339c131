"""How each person wants their notifications: per topic, an e-mail at once, the daily
digest, or only the bell (app.notifications.kinds). Chosen on the profile page."""
from __future__ import annotations

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import select

from app.audit import record
from app.extensions import db
from app.models import NotificationPreference, User
from app.notifications.kinds import DELIVERIES, DELIVERY_LABELS, TOPIC_BY_CODE, TOPICS, topic_of

#: `g` key: preferences already read in this request, per user id
_CACHE = "_faseport_notification_prefs"


def preferences_of(user: User) -> dict[str, str]:
    """topic → delivery for every topic, the person's choice or the topic's default."""
    cache = g.setdefault(_CACHE, {}) if has_request_context() else {}
    if user.id not in cache:
        chosen = dict(db.session.execute(
            select(NotificationPreference.topic, NotificationPreference.delivery)
            .where(NotificationPreference.user_id == user.id)).all())
        cache[user.id] = {t.code: chosen.get(t.code, t.default) for t in TOPICS}
    return dict(cache[user.id])


def delivery_for(user: User, kind: str) -> str:
    """How a notification of `kind` reaches `user`: immediate, digest or bell."""
    delivery = preferences_of(user)[topic_of(kind).code]
    return delivery if delivery in DELIVERIES else topic_of(kind).default


def save_preferences(user: User, choices: dict[str, str]) -> list[str]:
    """Store the person's choices (topic → delivery); returns the topics that changed.
    Unknown topics or deliveries are ignored (the form has refused them already)."""
    current = preferences_of(user)
    rows = {p.topic: p for p in db.session.execute(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)).scalars()}
    changed = []
    for topic, delivery in choices.items():
        if topic not in TOPIC_BY_CODE or delivery not in DELIVERIES or current[topic] == delivery:
            continue
        row = rows.get(topic)
        if row is None:
            db.session.add(NotificationPreference(user_id=user.id, topic=topic, delivery=delivery))
        else:
            row.delivery = delivery
        changed.append(topic)
    if changed:
        db.session.flush()
        if has_request_context():
            g.get(_CACHE, {}).pop(user.id, None)
        record("notifications.preferences_saved", actor=user, obj=user,
               changes={t: choices[t] for t in changed})
    return changed


def describe_preferences_event(event) -> str | None:
    """The Norwegian sentence for a saved choice (where the audit log is read)."""
    if event.action != "notifications.preferences_saved":
        return None
    parts = []
    for topic, delivery in (event.data or {}).get("changes", {}).items():
        info = TOPIC_BY_CODE.get(topic)
        parts.append(f"{info.label if info else topic}: {DELIVERY_LABELS.get(delivery, delivery)}")
    return _("%(who)s endret hvordan varsler sendes (%(what)s).",
             who=event.actor_name or _("Systemet"), what="; ".join(str(p) for p in parts))
