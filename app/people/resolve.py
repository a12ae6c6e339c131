"""Turning what was typed or chosen in a people picker into a person.

With JavaScript the picker sends the chosen person's username in a hidden field beside
the name. Without it (or when someone types and never picks) the server resolves the
text itself: a username, a name, or a name with the unit in brackets as the picker shows
it. An unknown or ambiguous name is refused with a Norwegian message that says what to
type instead; nothing is guessed.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _

from app.auth.services import user_for_person
from app.directory import DirectoryUnavailable, get_directory
from app.directory.escaping import has_filter_metacharacters
from app.extensions import db
from app.models import User
from app.people.search import PersonChoice, find_people

#: the longest username a directory has (the `user.username` column)
MAX_USERNAME = 128
#: at most this many candidates are named in "several people match"
MAX_NAMED = 5
#: "Ola Nordmann (Helse og omsorg)": the name and the part in brackets
_LABEL = re.compile(r"^(?P<name>.*?)\s*\((?P<unit>[^()]*)\)\s*$")


class PersonNotResolved(Exception):
    """No single person matches what was typed. `message` is Norwegian, for the field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def user_by_username(username: str | None) -> User | None:
    """The local record for a username, looked up in the directory (and kept) if Faseport
    has not met the person yet; None when there is no such person."""
    username = (username or "").strip()
    if not username or len(username) > MAX_USERNAME:
        return None
    user = db.session.execute(select_user(username)).scalar_one_or_none()
    if user is not None:
        return user
    if has_filter_metacharacters(username):
        return None
    person = get_directory().find_person(username)
    return user_for_person(person) if person is not None else None


def select_user(username: str):
    return db.select(User).where(User.username == username)


def resolve_person(text: str | None, chosen: str | None = None, *,
                   owners_only: bool = False) -> User | None:
    """The person meant by a picker: None when nothing was typed; raises
    PersonNotResolved (or DirectoryUnavailable) when no single person matches.

    `chosen` is the username the picker's list filled in; it counts only while the text
    still shows that person (someone may have typed over it without choosing again).
    `owners_only` prefers, among several with the same name, the one who may own projects.
    """
    text = " ".join((text or "").split())
    if not text:
        return None
    return _still_here(_find(text, chosen, owners_only))


def _still_here(user: User) -> User:
    """Refuse someone who has left (inactive since `flask directory sync`): no new roles."""
    if not user.active:
        raise PersonNotResolved(_("%(n)s har sluttet og kan ikke få en rolle. Velg en annen person.",
                                  n=user.display_name))
    return user


def _find(text: str, chosen: str | None, owners_only: bool) -> User:
    if chosen:
        user = user_by_username(chosen)
        if user is not None and _shows(text, user):
            return user
    # A username typed (or sent by a script, or left from the form's default).
    if " " not in text:
        if len(text) > MAX_USERNAME:  # neither a username nor anyone's name
            raise PersonNotResolved(_("Fant ikke denne personen i brukerkatalogen."))
        user = user_by_username(text)
        if user is not None:
            return user
    return _by_name(text, owners_only)


def _shows(text: str, user: User) -> bool:
    """Does the picker's text still name this person?"""
    folded = text.casefold()
    names = {user.username, user.display_name,
             f"{user.display_name} ({user.unit})" if user.unit else user.display_name}
    return folded in {name.casefold() for name in names if name}


def _by_name(text: str, owners_only: bool) -> User:
    match = _LABEL.match(text)
    name, unit = (match["name"], match["unit"]) if match else (text, "")
    result = find_people(name, limit=50)
    found = result.people
    if not found and result.directory_down:
        raise DirectoryUnavailable("people search while resolving a name")
    if not found:
        raise PersonNotResolved(_("Fant ikke «%(t)s» i brukerkatalogen. Skriv navnet slik det "
                                  "står der, eller brukernavnet.", t=text))
    candidates = [p for p in found if p.display_name.casefold() == name.casefold()] or found
    if unit:
        candidates = [p for p in candidates if p.unit.casefold() == unit.casefold()] or candidates
    if owners_only and len(candidates) > 1:
        candidates = [p for p in candidates if p.can_own] or candidates
    if len(candidates) > 1:
        raise PersonNotResolved(_(
            "Flere passer til «%(t)s»: %(names)s. Skriv hele navnet eller brukernavnet.",
            t=text, names="; ".join(_describe(p) for p in candidates[:MAX_NAMED])
            + ("; …" if len(candidates) > MAX_NAMED else "")))
    user = user_by_username(candidates[0].username)
    if user is None:  # gone from the directory between the search and now
        raise PersonNotResolved(_("Fant ikke «%(t)s» i brukerkatalogen.", t=text))
    return user


def _describe(person: PersonChoice) -> str:
    details = person.details
    return (f"{person.display_name} ({details}, {_('brukernavn')} {person.username})" if details
            else f"{person.display_name} ({_('brukernavn')} {person.username})")


__all__ = ["DirectoryUnavailable", "PersonNotResolved", "resolve_person", "user_by_username"]
