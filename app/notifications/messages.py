"""Templated notifications, rendered for each recipient.

A hand-off or a reminder calls `tell(kind, recipients, url=…, **context)`. For each
recipient it renders `templates/notifications/messages/<kind>.txt` — its blocks `text`
(the one-liner in the bell), `subject` and `body` (the e-mail's explanation, including
why it came) — inside `recipient_locale(person)`, and hands the result to `notify()`,
which applies the rules every notification follows (the person's choice of delivery, no
notification for what you did yourself, none about a project you cannot open, one per
person and event). Rendering at the point where the recipient is known is what sends each
person their own language (`locale_for`, app/i18n.py).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from jinja2_fragments import render_block

from app.models import Notification, User


@dataclass(frozen=True)
class Message:
    #: the one-liner shown in the bell and the notification list
    text: str
    subject: str
    #: the e-mail's explanation (the greeting, the link and the footer come from mail.txt)
    body: str


def locale_for(user: User) -> str:
    """The language to write to `user` in: their choice, else the kommune's DEFAULT_LOCALE."""
    from app.i18n import locale_for as chosen_locale

    return chosen_locale(user)


@contextmanager
def recipient_locale(user: User) -> Iterator[None]:
    """Render what is inside in the recipient's language."""
    with force_locale(locale_for(user)):
        yield


def render_message(kind: str, recipient: User, **context) -> Message:
    """The kind's template rendered for one recipient (call inside `recipient_locale`)."""
    name = f"notifications/messages/{kind}.txt"
    env = current_app.jinja_env
    context = dict(context, recipient=recipient)

    def block(block_name: str) -> str:
        return render_block(env, name, block_name, **context).strip()

    return Message(text=" ".join(block("text").split()), subject=" ".join(block("subject").split()),
                   body=block("body"))


def tell(kind: str, recipients: Iterable[User | None], *, url: str, project=None, actor=None,
         **context) -> list[Notification]:
    """Notify each recipient (each once, in their language) of a `kind` event.

    `actor` is who did it (never notified about it); in a request it is also the
    signed-in person, whom `notify()` leaves out anyway. `context` goes to the template,
    together with `project`, `actor` and `recipient`.
    """
    from flask import has_request_context
    from flask_login import current_user

    from app.notifications.services import notify

    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    sent, seen = [], set()
    for person in recipients:
        if person is None or person.id in seen:
            continue
        seen.add(person.id)
        with recipient_locale(person):
            message = render_message(kind, person, project=project, actor=actor, **context)
        notification = notify(person, kind, message.text, url, project=project, actor=actor,
                              mail_subject=message.subject, mail_body=message.body)
        if notification is not None:
            sent.append(notification)
    return sent
