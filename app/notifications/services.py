"""Operations on notifications. Everything here joins the caller's transaction: nothing
commits (the request's single commit point in app/transactions.py does that)."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Literal

from flask import abort, current_app, g, has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import Notification, OutboxMail, User
from app.models.base import utcnow
from app.notifications.background import note_queued
from app.notifications.messages import recipient_locale

log = logging.getLogger(__name__)

#: column sizes in app/models/notification.py
KIND_MAX = 32
URL_MAX = 500
SUBJECT_MAX = 300
ADDR_MAX = 254
NAME_MAX = 200
#: `g` key: (person, project) pairs already told in this request (one event, one notification)
_TOLD = "_faseport_told"


def notify(user: User, kind: str, text: str, url: str, *, project=None, actor=None,
           mail_subject: str | None = None, mail_body: str | None = None) -> Notification | None:
    """Tell `user` about something they should act on.

    Adds a `Notification` (shown by the bell) and, when the person wants this kind by
    e-mail at once and has an address, an `OutboxMail` in the same transaction, so the
    mail exists exactly when the change it reports is committed. The mail is sent after
    the commit (see `mail`); kinds the person takes as a daily digest wait for the
    morning's digest (app.notifications.digest), and "only in the bell" sends no mail.

    Returns None, and stores nothing, when the rules every notification follows say no
    (see `should_tell`): what the person did themselves, a project they cannot open, a
    person who has left, or a second notification to the same person for the same event.

    `text` is the Norwegian one-liner shown in the list, e.g. "Ola Nordmann ber deg
    godkjenne BP2 for «Velferdsteknologi i hjemmetjenesten»". `url` is the site-local path
    where the person acts ("/projects/7/gates/2"); the mail links to BASE_URL + url.
    `mail_subject` defaults to `text`; `mail_body` is a short explanation for the mail and
    defaults to `text`. New kinds render these per recipient through
    `app.notifications.messages.tell`.
    """
    if not kind or len(kind) > KIND_MAX:
        raise ValueError(f"notification kind must be 1–{KIND_MAX} characters: {kind!r}")
    if not text or not text.strip():
        raise ValueError("notification text is empty")
    if not is_local_path(url) or len(url) > URL_MAX:
        raise ValueError(f"notification url must be a site-local path: {url!r}")
    if project is not None and project.id is None:
        db.session.flush()  # the project is new in this transaction: give it its id
    if not user.active:
        # Someone who left reads nothing: the owner's leader stands in until the project
        # has a new owner or manager (Project.stand_in).
        stand_in = project.stand_in() if project is not None else None
        if stand_in is None:
            log.warning("notification %s for %s (left) dropped: no stand-in", kind, user.username)
            return None
        with recipient_locale(stand_in):
            text = _("For %(name)s, som har sluttet: %(text)s", name=user.display_name, text=text)
        user = stand_in
    if not should_tell(user, project, actor, kind):
        return None
    if project is not None and not project.can_view(user):
        # Only a privacy notice reaches someone who cannot open the project (the
        # personvernombud, about a restricted one): it links to the page she can open.
        from app.notifications.links import path_for

        url = path_for("privacy.assess", project_id=project.id)

    from app.notifications.preferences import delivery_for

    delivery = delivery_for(user, kind)
    notification = Notification(
        user=user, kind=kind, text=text.strip(), url=url,
        project_id=project.id if project is not None else None,
        created_at=utcnow(), delivery=delivery,
    )
    db.session.add(notification)

    address = (user.email or "").strip()
    if address and delivery == "immediate":
        with recipient_locale(user):  # the greeting and the footer in the reader's language
            body = render_mail_body(user, mail_body or text, url)
        queue_mail(user, _one_line(mail_subject or text), body)
    return notification


def should_tell(user: User, project=None, actor=None, kind: str | None = None) -> bool:
    """The rules every notification follows, in one place.

    - never about what the person did themselves (`actor`, or the signed-in person of
      the request that causes it);
    - never about a project the person cannot open (a restricted one they have no role
      in): the notification and the mail would name it. The one exception is a privacy
      notice (`kind` in the privacy topic) to the personvernombud, who opens every
      project with personal data on its assessment page (`Project.can_assess_privacy_of`).
      IKT people hear of a restricted project's tasks without the project (see
      `handoffs.task_created`);
    - never to someone who has left (see `is_reachable`);
    - one event gives one notification per person: within one request, a person gets at
      most one notification about a project (the first one, the most specific, wins).
    """
    if user is None or user.id is None:
        return False
    if actor is not None and getattr(actor, "id", None) == user.id:
        return False
    if has_request_context() and current_user.is_authenticated and current_user.id == user.id:
        return False
    if not is_reachable(user):
        return False
    if project is not None and not _may_read_about(user, project, kind):
        return False
    if has_request_context():
        told = g.setdefault(_TOLD, set())
        key = (user.id, project.id if project is not None else None)
        if project is not None and key in told:
            return False
        told.add(key)
    return True


def _may_read_about(user: User, project, kind: str | None) -> bool:
    """May a notice of `kind` about `project` name it to `user`? (see `should_tell`)"""
    if project.can_view(user):
        return True
    from app.notifications.kinds import KIND_TOPICS

    return KIND_TOPICS.get(kind or "") == "privacy" and project.can_assess_privacy_of(user)


def is_reachable(user: User) -> bool:
    """False for people who have left (`User.active` false, set by `flask directory
    sync`): they get no notifications, no reminders and no calendar. (Where the sync names
    a stand-in for a leaver, notify() must hand over to the stand-in before this check.)"""
    return getattr(user, "active", True) is not False


def queue_mail(user: User, subject: str, body: str) -> OutboxMail | None:
    """Put one e-mail to `user` in the outbox (this transaction); None without an address."""
    address = (user.email or "").strip()
    if not address:
        return None
    mail_row = OutboxMail(
        to_addr=address[:ADDR_MAX],
        to_name=_one_line(user.display_name or "")[:NAME_MAX],
        subject=_shorten(_one_line(subject), SUBJECT_MAX),
        body=body,
        created_at=utcnow(),
        status="queued",
        attempts=0,
        last_error="",
    )
    db.session.add(mail_row)
    note_queued()
    return mail_row


def render_mail_body(user: User, explanation: str, url: str) -> str:
    """The plain-text mail: greeting, the explanation, the absolute link, and the
    signature "Faseport".

    Rendered straight from the Jinja environment, without the request's context
    processors: a mail is the same whether notify() runs in a request or in the CLI.
    """
    template = current_app.jinja_env.get_template("notifications/mail.txt")
    return template.render(
        name=user.display_name or user.username,
        explanation=explanation.strip(),
        link=absolute_url(url),
        preferences_link=preferences_url(),
    ).strip() + "\n"


def preferences_url() -> str:
    """Where every e-mail sends the person who wants fewer (or more) e-mails."""
    return absolute_url("/profile#varsler")


def absolute_url(path: str) -> str:
    """BASE_URL + a site-local path: the address a mail links to."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def is_local_path(url: str | None) -> bool:
    """True for a path on this site ("/x"), false for other sites ("//evil", "http://")."""
    return bool(url) and url.startswith("/") and not url.startswith("//") and "\\" not in url


def unread_count(user: User) -> int:
    """How many of the person's notifications are unread (one COUNT on an index)."""
    return db.session.execute(
        select(func.count(Notification.id))
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()


def unread_count_for_current_user() -> int | None:
    """The bell's count for the signed-in person; None when it cannot be had (signed out,
    or the database is failing while an error page is drawn)."""
    if not current_user.is_authenticated:
        return None
    try:
        return unread_count(current_user)
    except SQLAlchemyError:
        # The header must still render on an error page while the database is down.
        log.warning("could not count unread notifications", exc_info=True)
        return None


def recent(user: User, limit: int = 20) -> list[Notification]:
    """The person's newest notifications first."""
    return list(db.session.execute(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).scalars())


def mark_read(user: User, ids: Iterable[int] | Literal["all"]) -> int:
    """Mark the person's notifications read: the given ids, or "all". Other people's ids
    are ignored. Returns how many changed from unread to read."""
    stmt = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids != "all":
        wanted = {int(i) for i in ids}
        if not wanted:
            return 0
        stmt = stmt.where(Notification.id.in_(wanted))
    result = db.session.execute(stmt.values(read_at=utcnow()))
    return result.rowcount or 0


def get_notification_or_404(notification_id: int, user: User) -> Notification:
    """The person's own notification; someone else's is as missing as a wrong id."""
    notification = db.session.execute(
        select(Notification)
        .where(Notification.id == notification_id, Notification.user_id == user.id)
    ).scalar_one_or_none()
    if notification is None:
        abort(404)
    return notification


def _one_line(value: str) -> str:
    # Mail headers must not contain line breaks (header injection).
    return " ".join(value.split())


def _shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
