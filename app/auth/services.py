"""Signing in: ask the directory, then keep the local record of the person up to date."""
from __future__ import annotations

from app.audit import record
from app.auth.sessions import end_session, start_session
from app.directory import Person
from app.extensions import db
from app.models import User
from app.models.base import utcnow


def sync_user(person: Person) -> User:
    """Create or refresh the local record, keyed on the directory's unique id.

    A renamed account keeps its history because the key is objectGUID/entryUUID, not
    the typed name. Name, e-mail, unit, title, leader and roles follow the directory.
    """
    user = db.session.execute(
        db.select(User).where(User.directory_id == person.directory_id)
    ).scalar_one_or_none()
    if user is None:
        # A username can move to a new directory entry (account recreated): free the name.
        clash = db.session.execute(
            db.select(User).where(User.username == person.username)
        ).scalar_one_or_none()
        if clash is not None:
            clash.username = f"{clash.username}~{clash.id}"
            db.session.flush()
        user = User(directory_id=person.directory_id, username=person.username)
        db.session.add(user)
    refresh_user(user, person)
    return user


def refresh_user(user: User, person: Person) -> None:
    """Copy what the directory says about `person` onto the local record.

    The person is in the directory (they just signed in, were picked, or the sync found
    them), so they are active again even if an earlier sync had found them gone.
    """
    user.username = person.username
    user.display_name = (person.display_name or person.username)[:200]
    user.email = (person.email or "")[:254]
    user.unit = (person.unit or "")[:200]
    user.title = (person.title or "")[:200]
    user.leader_username = person.leader_username
    user.roles = person.roles
    user.active = True
    user.left_at = None
    user.synced_at = utcnow()


def user_for_person(person: Person) -> User:
    """The local record for someone picked from the directory (who may never have signed in)."""
    user = sync_user(person)
    db.session.flush()
    return user


def mark_signed_in(user: User) -> None:
    user.last_login_at = utcnow()


# --- signing in and out (each writes its audit event) ----------------------------------------
def sign_in(person: Person, ip: str) -> User:
    """The directory accepted `person`: keep their record up to date, start a fresh
    session and note the sign-in."""
    user = sync_user(person)
    mark_signed_in(user)
    db.session.flush()
    start_session(user, ip)
    record("auth.login", actor=user)
    return user


def note_refused(username: str, reason: str) -> None:
    """The directory refused the password (the real reason stays in the log)."""
    record("auth.login_failed", actor_name=username, username=username, reason=reason)


def note_held_back(username: str, reason: str) -> None:
    """Too many failed attempts: this one was not even tried."""
    record("auth.login_limited", actor_name=username, username=username, reason=reason)


def sign_out() -> None:
    """Note the sign-out and end the session on the server too."""
    record("auth.logout")
    end_session()
