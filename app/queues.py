"""What the two work queues share, /ikt (technical tasks) and /personvern (DPIA): who may
use one, when htmx wants only a block of the page, and where a plain POST goes back to
(the queue with its filters, never another site)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from app import is_htmx


class WorkQueue:
    """A queue for one role (and administrators) at the endpoint `endpoint`."""

    def __init__(self, role: str, endpoint: str):
        self.role, self.endpoint = role, endpoint

    def can_use(self, user) -> bool:
        """The role and administrators work the queue; everyone else gets 403."""
        return user.is_authenticated and (user.has_role(self.role) or user.is_admin)

    def require(self) -> None:
        if not self.can_use(current_user):
            abort(403)

    def back_url(self, raw: str | None) -> str:
        """Where a plain POST returns: the queue with its filters, never another site."""
        base = url_for(self.endpoint)
        raw = (raw or "").strip()
        if raw.startswith(base) and "//" not in raw and "\\" not in raw and raw[len(base):][:1] in ("", "?"):
            return raw
        return base

    def filter_args(self, back: str | None) -> dict:
        """The filter the page was shown with, read back from the form's `back` URL."""
        return {k: v[0] for k, v in parse_qs(urlsplit(self.back_url(back)).query).items()}

    def done(self, message: str, back: str | None, anchor: str):
        """After a plain POST: the news, and back to the queue as it was, at `anchor`."""
        flash(message, "success")
        return redirect(self.back_url(back) + f"#{anchor}", code=303)


def wants_block() -> bool:
    """An htmx request for a part of the page (a history restore wants the whole page)."""
    return is_htmx() and request.headers.get("HX-History-Restore-Request") != "true"
