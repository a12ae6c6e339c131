"""Mapping directory groups to Faseport's application roles (LDAP_ROLE_GROUPS)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from ldap3.core.exceptions import LDAPInvalidDnError
from ldap3.utils.dn import parse_dn

#: the application roles a directory group can grant
APP_ROLES = ("admin", "ikt", "personvern", "portefolje", "prosjekteier")


def normalise_dn(dn: str) -> str:
    """A DN in a form that compares equal however an admin or a server spelled it.

    Attribute names and values are lower-cased and spaces around separators and runs of
    spaces inside values are dropped, so `CN=Faseport  IKT, OU=Groups` equals
    `cn=faseport ikt,ou=groups`. Good enough for the case-insensitive attributes (cn, ou,
    dc, uid) that name groups in practice; it is not a full RFC 4518 preparation.
    """
    try:
        parts = parse_dn(dn.strip(), escape=False, strip=True)
    except (LDAPInvalidDnError, AttributeError, IndexError, ValueError):
        # Not a DN we can parse: compare it as plain text rather than refuse the setting.
        return " ".join(dn.split()).lower()
    return "".join(
        f"{attr.strip().lower()}={' '.join(value.split()).lower()}{separator}"
        for attr, value, separator in parts
    )


def clean_dn(dn: str) -> str:
    """`dn` without the spaces an admin may have put around `,` and `=` (as typed in
    LDAP_ROLE_GROUPS); ldap3 refuses such a DN as a search base. Case is kept."""
    try:
        parts = parse_dn(dn.strip(), escape=False, strip=True)
    except (LDAPInvalidDnError, AttributeError, IndexError, ValueError):
        return dn.strip()
    text = ""
    for attribute, value, separator in parts:
        text += f"{attribute.strip()}={value.strip()}" + (separator or "")
    return text


def parse_role_groups(value: Mapping[str, object] | None) -> dict[str, tuple[str, ...]]:
    """Check LDAP_ROLE_GROUPS and return role -> tuple of group DNs.

    Each role maps to one group DN or a list of them (several groups may grant the same
    role). Raises ValueError for an unknown role or a value that is not a DN, so a typo
    fails at start-up instead of silently granting nothing.
    """
    result: dict[str, tuple[str, ...]] = {}
    for role, groups in (value or {}).items():
        if role not in APP_ROLES:
            raise ValueError(
                f"LDAP_ROLE_GROUPS: unknown role {role!r} (known: {', '.join(APP_ROLES)})"
            )
        dns = (groups,) if isinstance(groups, str) else tuple(groups or ())
        if not dns or not all(isinstance(dn, str) and dn.strip() for dn in dns):
            raise ValueError(f"LDAP_ROLE_GROUPS[{role!r}] must be a group DN or a list of DNs")
        for dn in dns:
            try:
                parse_dn(dn.strip(), escape=False, strip=True)
            except (LDAPInvalidDnError, AttributeError, IndexError, ValueError):
                raise ValueError(f"LDAP_ROLE_GROUPS[{role!r}]: {dn!r} is not a DN") from None
        result[role] = tuple(dn.strip() for dn in dns)
    return result


def roles_for_groups(
    group_dns: Iterable[str], role_groups: Mapping[str, tuple[str, ...]]
) -> frozenset[str]:
    """The roles granted by membership of `group_dns` (DNs compared case/space-insensitively)."""
    member_of = {normalise_dn(dn) for dn in group_dns}
    return frozenset(
        role
        for role, dns in role_groups.items()
        if any(normalise_dn(dn) in member_of for dn in dns)
    )


def all_role_group_dns(role_groups: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Every configured role group DN once, in a stable order."""
    seen: dict[str, str] = {}
    for dns in role_groups.values():
        for dn in dns:
            seen.setdefault(normalise_dn(dn), dn)
    return list(seen.values())


def group_search_base(base_dn: str, role_groups: Mapping[str, tuple[str, ...]]) -> str:
    """Where to look for groups: the deepest DN that contains LDAP_BASE_DN and every role
    group, so that `ou=people,dc=x` as the base still finds `cn=...,ou=groups,dc=x`.

    Falls back to `base_dn` when the role groups live in another naming context.
    """
    dns = [base_dn, *all_role_group_dns(role_groups)]
    split = [_rdns(dn) for dn in dns]
    if any(rdns is None for rdns in split):
        return base_dn
    # Compare from the root (the right-hand end) and keep the shared part.
    shared = 0
    shortest = min(len(rdns) for rdns in split)
    while shared < shortest and len({rdns[-1 - shared][0] for rdns in split}) == 1:
        shared += 1
    if shared == 0:
        return base_dn
    base_rdns = split[0]
    return ",".join(original for _norm, original in base_rdns[len(base_rdns) - shared :])


def _rdns(dn: str) -> list[tuple[str, str]] | None:
    """(normalised, original) per RDN of `dn`, or None if it does not parse."""
    try:
        parts = parse_dn(dn.strip(), escape=False, strip=True)
    except (LDAPInvalidDnError, AttributeError, IndexError, ValueError):
        return None
    rdns: list[tuple[str, str]] = []
    current: list[tuple[str, str]] = []
    for attribute, value, separator in parts:
        current.append((attribute, value))
        if separator != "+":  # a multi-valued RDN stays together
            original = "+".join(f"{a}={v}" for a, v in current)
            rdns.append((normalise_dn(original), original))
            current = []
    return rdns
