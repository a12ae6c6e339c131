"""Reading values out of ldap3 search results.

We read `raw_attributes` (bytes) rather than ldap3's formatted `attributes`, because
without the server schema (we never fetch it: one round trip less per operation, and no
schema-based refusal of attributes such as `department` that OpenLDAP does not define)
ldap3 cannot know that objectGUID is binary.
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping

from app.directory import Person

# Norwegian alphabetical order puts Æ, Ø, Å after Z, in that order; code point order
# would give Å, Æ, Ø. Map them to the characters that follow "z" in ASCII.
_NORWEGIAN_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


def raw_values(entry: Mapping, attribute: str) -> list[bytes]:
    """All values of `attribute` in a search result entry (attribute name in any case)."""
    attributes = entry.get("raw_attributes") or {}
    values = attributes.get(attribute)
    if values is None:
        wanted = attribute.lower()
        values = next((v for k, v in attributes.items() if k.lower() == wanted), None)
    if values is None:
        return []
    if isinstance(values, (bytes, str)):
        values = [values]
    return [v if isinstance(v, bytes) else str(v).encode("utf-8") for v in values]


def text_values(entry: Mapping, attribute: str) -> list[str]:
    """All values of `attribute` as text (UTF-8, as LDAP strings are)."""
    return [value.decode("utf-8", errors="replace") for value in raw_values(entry, attribute)]


def first_text(entry: Mapping, *attributes: str) -> str:
    """The first non-blank value of the first attribute that has one, stripped, else ''."""
    for attribute in attributes:
        for value in text_values(entry, attribute):
            if value.strip():
                return value.strip()
    return ""


def directory_id(entry: Mapping, id_attribute: str) -> str | None:
    """The entry's permanent id as text: objectGUID as a UUID string, entryUUID as is."""
    values = raw_values(entry, id_attribute)
    if not values or not values[0]:
        return None
    value = values[0]
    if id_attribute.lower() == "objectguid":
        if len(value) == 16:
            # AD stores the GUID in Microsoft's mixed-endian layout; bytes_le gives the
            # same string as AD's own tools show.
            return str(uuid.UUID(bytes_le=value))
        return value.decode("ascii", errors="replace")  # already text (e.g. a test double)
    return value.decode("utf-8", errors="replace").strip().lower()


def person_from_entry(entry: Mapping, identifier: str, username: str, *, leader_username: str | None,
                      roles: frozenset[str]) -> Person:
    """The Person a search result entry describes, once its `identifier` and `username`
    are known: name, e-mail, unit and title come from the entry; the leader and the roles
    are resolved by the caller (one person at sign-in, everyone at once in the sync)."""
    return Person(
        directory_id=identifier,
        username=username,
        display_name=first_text(entry, "displayName", "cn") or username,
        email=first_text(entry, "mail"),
        unit=first_text(entry, "department", "ou"),
        title=first_text(entry, "title"),
        leader_username=leader_username,
        roles=roles,
    )


def norwegian_sort_key(name: str) -> str:
    """A key that sorts names as a Norwegian reader expects (..., Z, Æ, Ø, Å)."""
    return name.casefold().translate(_NORWEGIAN_ORDER)
