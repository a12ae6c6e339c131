"""Finding people by name, unit and title: the one search behind every people picker.

It asks the staff directory (as the sign-in does) and merges in the people Faseport
already knows (the local `user` table: everyone who has signed in or been chosen once).
Local records win, because they also know who may own projects.

`flask directory sync` (issue 9) puts every directory person in the `user` table and marks
leavers inactive: they are never offered, even while the directory still lists them, and
nobody who has left makes their leader a possible owner.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, or_, select

from app.directory import DirectoryUnavailable, Person, get_directory
from app.directory.entries import norwegian_sort_key
from app.extensions import db
from app.models import User

#: most people one search returns
MAX_RESULTS = 20
#: shortest query that is searched
MIN_QUERY = 2
#: characters that are never part of a name, unit or title: dropped from the words
_PUNCTUATION = str.maketrans({c: " " for c in "()[]{}*\\,;:\"!?<>=&|~\x00"})


@dataclass(frozen=True)
class PersonChoice:
    """One person a picker can offer."""

    username: str
    display_name: str
    unit: str = ""
    title: str = ""
    #: may be a prosjekteier (leader, owner group, or granted by an administrator)
    can_own: bool = False

    @property
    def details(self) -> str:
        """"Kommunalsjef, Helse og omsorg": title and unit, whichever are known."""
        return ", ".join(part for part in (self.title, self.unit) if part)


@dataclass(frozen=True)
class PeopleFound:
    """The result of one search."""

    people: list[PersonChoice]
    #: more people matched than are shown
    truncated: bool = False
    #: the directory did not answer: only people Faseport knows are shown
    directory_down: bool = False


def search_words(query: str | None) -> list[str]:
    """The words of a query, without punctuation that is never in a name (so that a label
    such as "Ola Nordmann (Helse og omsorg)" can be searched as it is shown)."""
    return (query or "").translate(_PUNCTUATION).split()[:6]


def find_people(query: str | None, *, owners_only: bool = False,
                limit: int = MAX_RESULTS) -> PeopleFound:
    """People whose name, username, unit or title contain every word of `query`,
    sorted by name. `owners_only` keeps only those who may own projects."""
    words = search_words(query)
    if len(" ".join(words)) < MIN_QUERY:
        return PeopleFound([])
    matches = _local_matches(words, limit)
    local = {user.username: _choice(user, can_own) for user, can_own in matches if user.active}
    left = {user.username for user, _can_own in matches if not user.active}
    directory_down = False
    try:
        found = get_directory().search_people(" ".join(words), limit=limit + 1)
    except DirectoryUnavailable as exc:
        current_app.logger.error("people search: directory unavailable: %s", exc)
        found, directory_down = [], True
    left |= _left_among([p.username for p in found if p.username not in local])
    from_directory = [p for p in found if p.username not in local and p.username not in left]
    leaders = _leaders_among([p.username for p in from_directory])
    merged = list(local.values()) + [_from_person(p, p.username in leaders) for p in from_directory]
    if owners_only:
        merged = [p for p in merged if p.can_own]
    merged.sort(key=lambda p: (norwegian_sort_key(p.display_name), p.username))
    return PeopleFound(merged[:limit], truncated=len(merged) > limit or len(found) > limit,
                       directory_down=directory_down)


def _local_matches(words: list[str], limit: int):
    """(User, may own projects) for local people matching every word."""
    # Imported here: the portfolio package registers its views on import.
    from app.portfolio.textsearch import text_contains

    columns = (User.display_name, User.username, User.unit, User.title)
    every_word = and_(*(or_(*(text_contains(column, word) for column in columns)) for word in words))
    return db.session.execute(
        select(User, User.may_own_projects().label("can_own")).where(every_word)
        .order_by(User.display_name, User.username).limit(limit + 1)
    ).all()


def _leaders_among(usernames: list[str]) -> set[str]:
    """Which of these usernames some active local user names as their leader."""
    if not usernames:
        return set()
    return set(db.session.execute(
        select(User.leader_username).where(User.leader_username.in_(usernames), User.active.is_(True))
        .distinct()).scalars())


def _left_among(usernames: list[str]) -> set[str]:
    """Which of these usernames belong to people Faseport knows have left."""
    if not usernames:
        return set()
    return set(db.session.execute(
        select(User.username).where(User.username.in_(usernames), User.active.is_(False))).scalars())


def _choice(user: User, can_own) -> PersonChoice:
    return PersonChoice(user.username, user.display_name or user.username, user.unit or "",
                        user.title or "", bool(can_own))


def _from_person(person: Person, is_leader: bool) -> PersonChoice:
    return PersonChoice(person.username, person.display_name, person.unit, person.title,
                        is_leader or "prosjekteier" in person.roles)
