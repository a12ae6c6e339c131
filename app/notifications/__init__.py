"""Notifications: the bell in the header, the list of my notifications, and e-mail.

`notify()` (in `services`) is what other areas call: it adds a notification and, for
people with an e-mail address, a mail to the outbox, both in the caller's transaction.
`mail` sends the outbox (`smtp` talks to the server, `background` runs it after the
request's commit); `/dev/outbox` shows it to developers.
"""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
#: the developer pages (mail outbox); separate so that /dev/ is its own URL space
outbox_bp = Blueprint("outbox", __name__, url_prefix="/dev")

from app.notifications import routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Mail sending (CLI, after-commit trigger) and the bell's template helper."""
    from app.notifications import background, cli
    from app.notifications.kinds import is_reminder, topic_of
    from app.notifications.services import unread_count_for_current_user

    background.init_app(app)
    cli.init_app(app)
    app.jinja_env.globals["notification_unread_count"] = unread_count_for_current_user
    app.jinja_env.globals.update(notification_topic=topic_of, notification_is_reminder=is_reminder)
