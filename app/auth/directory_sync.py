"""`flask directory sync`: the local staff records follow the directory, also between
sign-ins (run it from cron).

Everyone in the directory is created or refreshed (name, e-mail, unit, title, leader and
roles), so the people picker and the owner rule see the whole kommune, and a role taken
away in the directory is gone at once for open sessions and API tokens, which read the
record on every request. People no longer in the directory, or disabled there (the
sign-in filter leaves them out), become inactive: they cannot sign in, their sessions
end, their tokens stop working, and pages show them as "(sluttet)".
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.audit import record
from app.auth.services import refresh_user
from app.directory import Person
from app.extensions import db
from app.models import User, UserSession
from app.models.base import utcnow

#: refuse to mark more than this share of the active staff as gone in one run
MAX_LEAVING_SHARE = 0.5
#: ...unless it is only a handful of people
MAX_LEAVING_ALWAYS_ALLOWED = 10


class SyncRefused(Exception):
    """The directory's answer looks wrong (empty, or most people gone): nothing changed."""


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: int = 0
    left: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    roles_changed: list[str] = field(default_factory=list)
    #: usernames that several directory entries share (left alone, as at sign-in)
    ambiguous: list[str] = field(default_factory=list)
    #: running projects whose owner or manager left in this run (portfolio was told)
    projects_concerned: int = 0


def sync_people(people: list[Person], *, force: bool = False) -> SyncReport:
    """Bring the `user` table in line with `people` (everyone the directory lists).

    Joins the caller's transaction; the CLI command commits. Raises SyncRefused when
    the list is empty or would make more than half of the active staff leave (a wrong
    LDAP_BASE_DN or filter looks exactly like that), unless `force`.
    """
    users = {user.directory_id: user for user in db.session.scalars(db.select(User))}
    found = {person.directory_id: person for person in people}
    leaving = [user for key, user in users.items() if user.active and key not in found]
    active = sum(1 for user in users.values() if user.active)
    if not people and active:
        raise SyncRefused("Katalogen ga ingen personer; ingenting er endret. "
                          "Sjekk LDAP_BASE_DN og LDAP_USER_FILTER med `flask directory check`.")
    if (not force and len(leaving) > MAX_LEAVING_ALWAYS_ALLOWED
            and len(leaving) > MAX_LEAVING_SHARE * active):
        raise SyncRefused(
            f"{len(leaving)} av {active} aktive personer finnes ikke lenger i katalogen; det "
            f"ligner en feil i innstillingene, så ingenting er endret. Kjør med --force hvis "
            f"det stemmer.")

    report = SyncReport()
    now = utcnow()
    by_username = {user.username: user for user in users.values()}
    counts = Counter(person.username.lower() for person in people)
    for person in people:
        if counts[person.username.lower()] > 1:
            # Two entries share the name: sign-in refuses it too, so nobody is made up.
            report.ambiguous.append(person.username)
            continue
        user = users.get(person.directory_id)
        if user is None:
            clash = by_username.get(person.username)
            if clash is not None and clash.directory_id not in found:
                # A recreated account took over the name: free it (as sign-in does).
                clash.username = f"{clash.username}~{clash.id}"
                db.session.flush()
            user = User(directory_id=person.directory_id, username=person.username)
            db.session.add(user)
            report.created.append(person.username)
        else:
            report.updated += 1
            if not user.active:
                report.returned.append(person.username)
            if set(user.roles) != set(person.roles):
                report.roles_changed.append(person.username)
                record("user.roles_changed", actor_name="Faseport", obj=user,
                       username=person.username, before=sorted(user.roles),
                       after=sorted(person.roles))
        refresh_user(user, person)
    db.session.flush()
    for user in leaving:
        user.active = False
        user.left_at = now
        db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))
        record("user.left", actor_name="Faseport", obj=user, username=user.username)
        report.left.append(user.username)
    if leaving:
        # Portfolio management hears about every running project they owned or led.
        from app.notifications.handoffs import people_left

        db.session.flush()
        report.projects_concerned = people_left(leaving)
    record("directory.sync", actor_name="Faseport", created=len(report.created),
           updated=report.updated, left=len(report.left))
    return report
