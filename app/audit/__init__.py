"""Writing the audit log. Events join the request's transaction and commit with it."""
from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent


def client_ip() -> str:
    """The caller's address (ProxyFix has already applied X-Forwarded-For if configured)."""
    return (request.remote_addr or "") if has_request_context() else ""


def record(action: str, *, actor=None, actor_name: str | None = None, obj=None,
           project_id: int | None = None, **data) -> AuditEvent:
    """Add an audit event to the current transaction.

    `actor` defaults to the signed-in person; `obj` is any model with an `id`.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_name=actor_name if actor_name is not None else (actor.display_name if actor else ""),
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", None),
        project_id=project_id,
        ip=client_ip(),
        data=data,
    )
    db.session.add(event)
    return event


def add_recorded(obj, action: str, **data):
    """Add a new row (flushed, so it has its id) and its audit event `action`; `data` as
    for `record` (project_id and the values the history shows). Returns the row."""
    db.session.add(obj)
    db.session.flush()
    record(action, obj=obj, **data)
    return obj


def delete_recorded(obj, action: str, **data) -> None:
    """Delete a row and write its audit event `action` (the event keeps the row's id and
    the values in `data`, so the history still shows what was deleted)."""
    db.session.delete(obj)
    db.session.flush()
    record(action, obj=obj, **data)
