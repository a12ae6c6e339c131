"""Everyone in the directory at once, with leader and roles, for `flask directory sync`.

Sign-in looks one person up; the sync needs the whole kommune, so this reads every
person in pages (AD returns at most 1,000 entries per page), resolves each `manager` DN
from the same result, and finds the members of each role group once (nested groups
included) instead of asking for every person's groups.

A friend of `Directory`: it uses the client's connection and search helpers.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ldap3 import BASE, SUBTREE

from app.directory import DirectoryUnavailable, Person
from app.directory.connection import unavailable_on_error
from app.directory.entries import directory_id, first_text, person_from_entry, text_values
from app.directory.escaping import filter_value
from app.directory.roles import clean_dn, normalise_dn
from app.directory.settings import AD

if TYPE_CHECKING:
    from app.directory.client import Directory

#: entries per page of the paged search (AD's MaxPageSize is 1,000)
PAGE_SIZE = 500
#: how deep group-in-group is followed on OpenLDAP
MAX_NESTING = 5
PAGED_RESULTS = "1.2.840.113556.1.4.319"


def everyone(directory: Directory) -> list[Person]:
    """Every person the sign-in filter would let in, with leader and roles.

    Raises DirectoryUnavailable when any part of the read fails: a half-read directory
    must never make the sync think that people have left.
    """
    settings = directory.settings
    with directory._service_connection() as connection:
        entries = _paged(directory, connection, directory._people_filter,
                         directory._person_attributes())
        username_of = {}
        for entry in entries:
            username = first_text(entry, settings.username_attribute)
            if username:
                username_of[normalise_dn(entry["dn"])] = username
        members = {
            role: set().union(*(_members(directory, connection, dn, username_of) for dn in dns))
            for role, dns in settings.role_groups.items()
        }
    people = []
    for entry in entries:
        username = first_text(entry, settings.username_attribute)
        identifier = directory_id(entry, settings.id_attribute)
        if not username or not identifier:
            continue
        dn = normalise_dn(entry["dn"])
        manager = first_text(entry, "manager")
        people.append(person_from_entry(
            entry, identifier, username,
            leader_username=username_of.get(normalise_dn(manager)) if manager else None,
            roles=frozenset(role for role, dns in members.items() if dn in dns),
        ))
    return people


def _paged(directory: Directory, connection, search_filter: str, attributes: list[str]) -> list:
    """All entries of a subtree search, page by page (one page on the demo directory)."""
    entries: list = []
    cookie = None
    while True:
        with unavailable_on_error("listing people"):
            connection.search(
                directory.settings.base_dn, search_filter, search_scope=SUBTREE,
                attributes=attributes, paged_size=PAGE_SIZE, paged_cookie=cookie,
                time_limit=max(directory.settings.timeout, 30),
            )
        result = connection.result or {}
        if result.get("result") != 0:
            raise DirectoryUnavailable(f"listing people failed: {result.get('description')} "
                                       f"{result.get('message') or ''}")
        entries.extend(item for item in connection.response or []
                       if item.get("type") == "searchResEntry")
        control = (result.get("controls") or {}).get(PAGED_RESULTS) or {}
        cookie = (control.get("value") or {}).get("cookie")
        if not cookie:
            return entries


def _members(directory: Directory, connection, group_dn: str, username_of: dict) -> set[str]:
    """Normalised DNs of the people in `group_dn`, directly or through nested groups."""
    if directory.settings.dialect == AD:
        # AD walks the nesting itself (LDAP_MATCHING_RULE_IN_CHAIN).
        search_filter = (f"(&{directory._people_filter}"
                         f"(memberOf:1.2.840.113556.1.4.1941:={filter_value(group_dn)}))")
        found = _paged(directory, connection, search_filter, ["1.1"])
        return {normalise_dn(entry["dn"]) for entry in found}
    people: set[str] = set()
    seen = {normalise_dn(group_dn)}
    frontier = [group_dn]
    for _level in range(MAX_NESTING + 1):
        next_frontier = []
        for dn in frontier:
            for member in _group_members(directory, connection, dn):
                key = normalise_dn(member)
                if key in username_of:
                    people.add(key)
                elif key not in seen:
                    seen.add(key)
                    next_frontier.append(member)  # maybe a nested group
        if not next_frontier:
            break
        frontier = next_frontier
    return people


def _group_members(directory: Directory, connection, dn: str) -> list[str]:
    entries = directory._search(connection, clean_dn(dn), "(objectClass=*)",
                                ["member", "uniqueMember"], scope=BASE)
    if not entries:
        return []
    return text_values(entries[0], "member") + text_values(entries[0], "uniqueMember")
