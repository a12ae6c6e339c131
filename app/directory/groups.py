"""Group membership and the Faseport roles it gives: one in-chain query on Active
Directory, a bounded walk over group-in-group on OpenLDAP. Part of `Directory`."""
from __future__ import annotations

from ldap3 import Connection

from app.directory.escaping import any_attribute_equals, filter_value
from app.directory.entries import text_values
from app.directory.roles import all_role_group_dns, normalise_dn, roles_for_groups
from app.directory.settings import AD

#: how many levels of group-in-group are followed on OpenLDAP
MAX_GROUP_NESTING = 5
#: how many group DNs go into one `(|(member=...)...)` filter
GROUPS_PER_QUERY = 50
#: ask for no attributes at all (RFC 4511 "1.1")
NO_ATTRIBUTES = ["1.1"]


class GroupLookups:
    """Mixed into `Directory` (uses its settings, `_search` and `_group_base`)."""

    def _roles(self, connection: Connection, entry: dict) -> frozenset[str]:
        """The app roles of the person in `entry`, through nested group membership."""
        role_groups = self.settings.role_groups
        if not role_groups:
            return frozenset()
        if self.settings.dialect == AD:
            groups = self._ad_role_groups(connection, entry["dn"])
        else:
            groups = self._openldap_groups(connection, entry)
        return roles_for_groups(groups, role_groups)

    def _ad_role_groups(self, connection: Connection, user_dn: str) -> list[str]:
        """The role groups the user is in, directly or nested, in one AD query.

        LDAP_MATCHING_RULE_IN_CHAIN (1.2.840.113556.1.4.1941) makes AD walk the nesting
        itself; limiting the result to the configured role groups keeps it small.
        """
        wanted = any_attribute_equals(
            ["distinguishedName"], all_role_group_dns(self.settings.role_groups)
        )
        search_filter = (
            f"(&(objectClass=group)"
            f"(member:1.2.840.113556.1.4.1941:={filter_value(user_dn)}){wanted})"
        )
        entries = self._search(connection, self._group_base, search_filter, NO_ATTRIBUTES)
        return [entry["dn"] for entry in entries]

    def _openldap_groups(self, connection: Connection, entry: dict) -> list[str]:
        """Every group the user is in, following group-in-group up to MAX_GROUP_NESTING.

        Direct groups come from `memberOf` when the memberof overlay provides it, else
        from a `(member=<dn>)` / `(uniqueMember=<dn>)` search. Parent groups are then
        found by searching for groups whose member is one of the groups found so far.
        """
        wanted = {normalise_dn(dn) for dn in all_role_group_dns(self.settings.role_groups)}
        direct = text_values(entry, "memberOf") or self._groups_with_members(
            connection, [entry["dn"]]
        )
        known = {normalise_dn(dn): dn for dn in direct}
        frontier = list(known.values())
        for _level in range(MAX_GROUP_NESTING):
            if not frontier or wanted <= known.keys():
                break
            parents = {
                normalise_dn(dn): dn
                for dn in self._groups_with_members(connection, frontier)
                if normalise_dn(dn) not in known  # also stops membership loops
            }
            known.update(parents)
            frontier = list(parents.values())
        return list(known.values())

    def _groups_with_members(self, connection: Connection, member_dns: list[str]) -> list[str]:
        found: list[str] = []
        for start in range(0, len(member_dns), GROUPS_PER_QUERY):
            chunk = member_dns[start : start + GROUPS_PER_QUERY]
            search_filter = any_attribute_equals(["member", "uniqueMember"], chunk)
            entries = self._search(connection, self._group_base, search_filter, NO_ATTRIBUTES)
            found.extend(entry["dn"] for entry in entries)
        return found

