"""Escaping of user input for LDAP filters (RFC 4515) and DNs (RFC 4514).

Everything a person types goes through these functions before it reaches a filter or a
DN: an unescaped `*` would turn a sign-in into a wildcard search and a `)` would let the
input rewrite the filter.
"""
from __future__ import annotations

from collections.abc import Iterable

from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

#: the characters that have a meaning inside a filter assertion value
FILTER_METACHARACTERS = frozenset("*()\\\x00")


def filter_value(value: str) -> str:
    """`value` as a literal filter assertion value: `*`, `(`, `)`, `\\` and NUL escaped."""
    return escape_filter_chars(value)


def rdn_value(value: str) -> str:
    """`value` escaped for use as the value of an RDN, as in `uid=<value>,ou=people,...`."""
    return escape_rdn(value)


def user_filter(template: str, username: str) -> str:
    """The sign-in filter with `{username}` replaced by the escaped username.

    `str.replace`, not `str.format`: a filter may legitimately contain braces.
    """
    return template.replace("{username}", filter_value(username))


def any_attribute_contains(attributes: Iterable[str], word: str) -> str:
    """`(|(a=*word*)(b=*word*)...)` with `word` escaped, for the people search."""
    escaped = filter_value(word)
    return "(|" + "".join(f"({attribute}=*{escaped}*)" for attribute in attributes) + ")"


def any_attribute_equals(attributes: Iterable[str], values: Iterable[str]) -> str:
    """`(|(a=v1)(b=v1)(a=v2)...)` with every value escaped (used to find groups by member)."""
    return (
        "(|"
        + "".join(
            f"({attribute}={filter_value(value)})" for value in values for attribute in attributes
        )
        + ")"
    )


def has_filter_metacharacters(value: str) -> bool:
    """Whether `value` contains a character that is special inside a filter."""
    return any(character in FILTER_METACHARACTERS for character in value)
