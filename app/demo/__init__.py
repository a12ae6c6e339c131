"""Demo data for `make run`: the demo directory's staff, and (later) projects."""
from __future__ import annotations

from app.audit import record
from app.auth.services import sync_user
from app.directory import get_directory
from app.extensions import db
from app.models import AuditEvent


def load() -> bool:
    """Load the demo data unless it is there already. Returns True when it loaded."""
    done = db.session.execute(
        db.select(AuditEvent.id).where(AuditEvent.action == "demo.load")
    ).first()
    if done:
        return False
    directory = get_directory()
    for person in directory.all_people():
        sync_user(person)
    db.session.flush()
    record("demo.load", actor_name="Faseport")
    db.session.commit()  # CLI: no request, so this command is its own transaction
    return True
