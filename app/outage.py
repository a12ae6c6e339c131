"""When the database cannot be reached: every page answers 503 with a calm page and
`Retry-After`, the log gets one line when the outage starts and one when it ends (per
worker process), and the site recovers by itself (the pool checks a connection before
handing it out, `pool_pre_ping`).

The 503 page is rendered without the usual context processors: they read the signed-in
person, which needs the very database that is missing.
"""
from __future__ import annotations

import logging
import threading
import time

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import exc as sa_exc

log = logging.getLogger("faseport.database")

#: seconds a browser or load balancer should wait before trying again
RETRY_AFTER = 30

_lock = threading.Lock()
_state = {"since": None, "refused": 0}


def is_unreachable(exc: BaseException) -> bool:
    """True for errors that mean "the database is not there right now" rather than "this
    statement is wrong": refused or dropped connections, a full pool, a locked SQLite."""
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)):
        return True
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    # The session still holds the transaction a dropped connection broke.
    return isinstance(exc, sa_exc.PendingRollbackError) and "connection" in str(exc).lower()


def refused(exc: BaseException) -> None:
    """Count a request answered 503; the first one of an outage writes the log line."""
    with _lock:
        first = _state["since"] is None
        if first:
            _state["since"] = time.monotonic()
            _state["refused"] = 0
        _state["refused"] += 1
    if first:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        log.error("database unreachable, answering 503 until it is back: %s: %s",
                  type(getattr(exc, "orig", None) or exc).__name__, reason[0] if reason else "")


def reached() -> None:
    """A request used the database and committed: if an outage was going on, it is over."""
    if _state["since"] is None:
        return
    with _lock:
        since, count = _state["since"], _state["refused"]
        if since is None:
            return
        _state["since"] = None
        _state["refused"] = 0
    log.warning("database reachable again after %.0f s; %d requests were answered 503",
                time.monotonic() - since, count)


def in_outage() -> bool:
    return _state["since"] is not None


def render_unavailable():
    """The calm 503 page (or fragment, or JSON), with Retry-After."""
    from app.errors import typed_fields

    headers = {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}
    title = _("Faseport er midlertidig utilgjengelig")
    message = _("Faseport er midlertidig utilgjengelig, prøv igjen om litt.")
    saving = request.method == "POST"
    if request.path.startswith("/api/") or request.path == "/healthz":
        return jsonify({"error": title, "message": message, "status": 503}), 503, headers
    env = current_app.jinja_env
    context = dict(request=request, title=title, message=message, saving=saving,
                   is_htmx=request.headers.get("HX-Request") == "true",
                   fields=typed_fields() if saving else [],
                   csrf=request.form.get("csrf_token", "") if saving else "",
                   retry_after=RETRY_AFTER)
    if context["is_htmx"]:
        html = env.get_template("errors/unavailable_notice.html").render(context)
    else:
        html = env.get_template("errors/unavailable.html").render(context)
    return html, 503, headers
