"""`Directory`: sign-in, people search and look-ups against AD, OpenLDAP or the demo."""
from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol

from ldap3 import BASE, SUBTREE, Connection

from app.directory import AuthenticationFailed, DirectoryUnavailable, Person
from app.directory.ad_codes import invalid_credentials_reason
from app.directory.connection import LdapConnector, close_quietly, unavailable_on_error
from app.directory.connection import describe_result as _describe
from app.directory.demo import DemoConnector
from app.directory.entries import directory_id, first_text, norwegian_sort_key, person_from_entry
from app.directory.escaping import (
    any_attribute_contains,
    has_filter_metacharacters,
    rdn_value,
    user_filter,
)
from app.directory.groups import GroupLookups
from app.directory.roles import group_search_base
from app.directory.health import HealthChecks
from app.directory.settings import AD, DirectorySettings

#: LDAP result codes (RFC 4511)
SUCCESS = 0
SIZE_LIMIT_EXCEEDED = 4
NO_SUCH_OBJECT = 32
INVALID_CREDENTIALS = 49
#: bind results that are about the person's account, not about the directory's health
#: (inappropriateAuthentication, insufficientAccessRights, unwillingToPerform,
#: constraintViolation - e.g. a password policy lock-out)
ACCOUNT_REFUSALS = {48, 50, 53, 19}

#: the people search ignores words beyond this many (keeps the filter bounded)
MAX_SEARCH_WORDS = 6
MAX_SEARCH_WORD_LENGTH = 64
MAX_SEARCH_LIMIT = 200

#: person attributes read from the directory (the id and username attributes are added)
PERSON_ATTRIBUTES = ("displayName", "cn", "mail", "department", "ou", "title", "manager")
#: attributes the people search matches words against (plus the username attribute)
SEARCH_ATTRIBUTES = ("displayName", "cn", "sn", "givenName", "mail", "department", "title")


class Connector(Protocol):
    """Opens connections: `LdapConnector` for a server, `DemoConnector` for the demo."""

    literal_filters: bool

    def open(self, user: str | None, password: str | None) -> Connection: ...


class Directory(GroupLookups, HealthChecks):
    """The staff directory as the app sees it.

    Every method opens its own connection(s) and closes them before returning, so the
    object holds no network state and can be shared by all requests and threads.
    """

    def __init__(
        self,
        settings: DirectorySettings,
        logger: logging.Logger | None = None,
        connector: Connector | None = None,
    ):
        self.settings = settings
        self.log = logger or logging.getLogger(__name__)
        if connector is None:
            connector = DemoConnector() if settings.is_demo else LdapConnector(settings)
        self._connector = connector
        self._people_filter = _people_filter(settings)
        self._group_base = group_search_base(settings.base_dn, settings.role_groups)
        self._announce_configuration()

    # --- public API -----------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> Person:
        """Check a username and password and return the person, with leader and roles.

        Search-then-bind with the service account when LDAP_BIND_DN is set (the person's
        entry, groups and leader are read by the service account, then the same
        connection binds as their DN with the password and is closed); otherwise a direct bind as `user@LDAP_UPN_SUFFIX` (AD) or
        `uid=<username>,<LDAP_BASE_DN>` (OpenLDAP) followed by a read of their own entry.

        Raises AuthenticationFailed (wrong password, unknown or ambiguous user, disabled
        or locked account; `reason` says which, for the log) or DirectoryUnavailable.
        """
        # Refuse before anything touches the network: a simple bind with an empty
        # password is an "unauthenticated bind" that many servers (AD included) accept.
        if not isinstance(username, str) or not username.strip() or not password:
            raise AuthenticationFailed("empty username/password")
        username = username.strip()
        if not self._connector.literal_filters and has_filter_metacharacters(username):
            raise AuthenticationFailed("no such user")

        if self.settings.has_service_account:
            with self._service_connection() as connection:
                entry = self._find_single_user(connection, username)
                person = self._to_person(connection, entry, with_roles=True)
                # Last, on the same connection: one TLS handshake per sign-in instead of
                # two. The connection is bound as the person only for this bind and is
                # closed right after, so nothing else ever runs with their identity.
                self._rebind_as(connection, entry["dn"], password)
        else:
            bind_name = self._direct_bind_name(username)
            with self._bound_connection(bind_name, password) as connection:
                if self.settings.dialect == AD:
                    entry = self._find_single_user(connection, username)
                else:
                    # We know the DN that was just authenticated: read exactly that entry
                    # (self-read is allowed by the tightest ACLs), still through the filter.
                    entry = self._find_single_user(connection, username, base=bind_name)
                person = self._to_person(connection, entry, with_roles=True)
        if person is None:
            raise AuthenticationFailed(f"entry has no {self.settings.id_attribute}")
        self.log.debug("directory: %s signed in as %s", username, person.username)
        return person

    def search_people(self, query: str, limit: int = 20) -> list[Person]:
        """People whose name, username or e-mail contain every word of `query`.

        Case-insensitive substring match (`øvre` finds Åse Øvrebø), at most `limit`
        people sorted by display name. Queries shorter than two characters give [].
        Roles are not looked up here (a sign-in does that).
        """
        query = (query or "").strip()
        if len(query) < 2 or limit <= 0:
            return []
        words = [word[:MAX_SEARCH_WORD_LENGTH] for word in query.split()][:MAX_SEARCH_WORDS]
        if not self._connector.literal_filters and any(map(has_filter_metacharacters, words)):
            return []
        limit = min(limit, MAX_SEARCH_LIMIT)
        attributes = (*SEARCH_ATTRIBUTES, self.settings.username_attribute)
        search_filter = (
            "(&"
            + self._people_filter
            + "".join(any_attribute_contains(attributes, word) for word in words)
            + ")"
        )
        with self._service_connection() as connection:
            entries = self._search(
                connection, self.settings.base_dn, search_filter, self._person_attributes(),
                size_limit=limit,
            )
            leaders: dict[str, str | None] = {}
            people = [
                person
                for entry in entries[:limit]
                if (person := self._to_person(connection, entry, leaders=leaders)) is not None
            ]
        people.sort(key=lambda person: (norwegian_sort_key(person.display_name), person.username))
        return people[:limit]

    def find_person(self, username: str) -> Person | None:
        """The person with exactly this username (with leader and roles), or None."""
        if not isinstance(username, str) or not username.strip():
            return None
        username = username.strip()
        if not self._connector.literal_filters and has_filter_metacharacters(username):
            return None
        with self._service_connection() as connection:
            entries = self._search(
                connection, self.settings.base_dn,
                user_filter(self.settings.user_filter, username),
                self._person_attributes(), size_limit=2,
            )
            if len(entries) != 1:
                if entries:
                    self.log.warning("directory: username %r matches several entries", username)
                return None
            return self._to_person(connection, entries[0], with_roles=True)

    def all_people(self) -> list[Person]:
        """Everyone the sign-in filter lets in, with leader and roles (for the sync)."""
        from app.directory.listing import everyone

        return everyone(self)

    # --- connections ----------------------------------------------------------------
    @contextmanager
    def _service_connection(self) -> Iterator[Connection]:
        """A connection bound as the service account; a refused bind is an outage."""
        if not self.settings.has_service_account:
            raise DirectoryUnavailable(
                "the people search and look-ups need a service account (LDAP_BIND_DN)"
            )
        connection = self._open(self.settings.bind_dn, self.settings.bind_password)
        try:
            with unavailable_on_error("service account bind"):
                bound = connection.bind()
            if not bound:
                # Misconfigured or expired service account: nobody can sign in, so this is
                # the operators' problem, not the person's.
                raise DirectoryUnavailable(
                    f"service account bind refused: {_describe(connection.result)}"
                )
            yield connection
        finally:
            close_quietly(connection)

    @contextmanager
    def _bound_connection(self, bind_name: str, password: str) -> Iterator[Connection]:
        """A connection bound as the person (direct bind, no service account)."""
        connection = self._open(bind_name, password)
        try:
            with unavailable_on_error("sign-in bind"):
                bound = connection.bind()
            if not bound:
                raise self._bind_refused(connection.result)
            yield connection
        finally:
            close_quietly(connection)

    def _rebind_as(self, connection: Connection, dn: str, password: str) -> None:
        """Bind `connection` as `dn` with `password`; a refusal is the person's problem."""
        connection.user = dn
        connection.password = password
        with unavailable_on_error("sign-in bind"):
            bound = connection.bind()
        if not bound:
            raise self._bind_refused(connection.result)

    def _open(self, user: str | None, password: str | None) -> Connection:
        with unavailable_on_error("connecting"):
            return self._connector.open(user, password)

    def _bind_refused(self, result: Mapping | None) -> Exception:
        code = (result or {}).get("result")
        message = (result or {}).get("message") or ""
        if code == INVALID_CREDENTIALS:
            return AuthenticationFailed(invalid_credentials_reason(message))
        if code in ACCOUNT_REFUSALS:
            return AuthenticationFailed(f"bind refused: {_describe(result)}")
        return DirectoryUnavailable(f"bind failed: {_describe(result)}")

    def _direct_bind_name(self, username: str) -> str:
        if self.settings.dialect == AD:
            return f"{username}@{self.settings.upn_suffix}"
        return f"{self.settings.username_attribute}={rdn_value(username)},{self.settings.base_dn}"

    # --- searching ------------------------------------------------------------------
    def _search(
        self,
        connection: Connection,
        base: str,
        search_filter: str,
        attributes: list[str],
        *,
        scope: str = SUBTREE,
        size_limit: int = 0,
    ) -> list[dict]:
        """Entries found (referrals dropped). A failed search is an outage, except a
        missing base entry in a BASE search, which is just "not found"."""
        with unavailable_on_error("search"):
            connection.search(
                base, search_filter, search_scope=scope, attributes=attributes,
                size_limit=size_limit, time_limit=self.settings.timeout,
            )
        result = connection.result or {}
        code = result.get("result")
        if code == NO_SUCH_OBJECT and scope == BASE:
            return []
        if code not in (SUCCESS, SIZE_LIMIT_EXCEEDED):
            raise DirectoryUnavailable(f"search failed: {_describe(result)}")
        return [item for item in connection.response or [] if item.get("type") == "searchResEntry"]

    def _find_single_user(
        self, connection: Connection, username: str, base: str | None = None
    ) -> dict:
        """The one entry LDAP_USER_FILTER finds for `username` (under `base`, or exactly
        the entry `base` when given); none or several refuse the sign-in."""
        entries = self._search(
            connection, base or self.settings.base_dn,
            user_filter(self.settings.user_filter, username),
            self._person_attributes(), scope=BASE if base else SUBTREE, size_limit=2,
        )
        if not entries:
            raise AuthenticationFailed("no such user")
        if len(entries) > 1:
            # Binding the "first" of two would let the wrong person in on a shared name.
            raise AuthenticationFailed("username matches several directory entries")
        return entries[0]

    def _person_attributes(self) -> list[str]:
        attributes = [
            self.settings.username_attribute,
            self.settings.id_attribute,  # entryUUID is operational: it must be asked for
            *PERSON_ATTRIBUTES,
        ]
        if self.settings.dialect != AD:
            attributes.append("memberOf")  # operational too on OpenLDAP
        return attributes

    # --- mapping entries to people --------------------------------------------------
    def _to_person(
        self,
        connection: Connection,
        entry: dict,
        *,
        with_roles: bool = False,
        leaders: dict[str, str | None] | None = None,
    ) -> Person | None:
        """The Person for a search result entry, or None without a username or id."""
        settings = self.settings
        username = first_text(entry, settings.username_attribute)
        identifier = directory_id(entry, settings.id_attribute)
        if not username or not identifier:
            self.log.warning(
                "directory: %s has no %s or %s; skipped",
                entry.get("dn"), settings.username_attribute, settings.id_attribute,
            )
            return None
        return person_from_entry(
            entry, identifier, username,
            leader_username=self._leader_username(
                connection, first_text(entry, "manager"), {} if leaders is None else leaders
            ),
            roles=self._roles(connection, entry) if with_roles else frozenset(),
        )

    def _leader_username(
        self, connection: Connection, manager_dn: str, cache: dict[str, str | None]
    ) -> str | None:
        """The username of the entry `manager_dn` names; None if it cannot be resolved.

        An unresolvable leader (deleted, outside the base, no read access) must never
        stop a sign-in, so every failure here is logged and swallowed.
        """
        if not manager_dn:
            return None
        if manager_dn in cache:
            return cache[manager_dn]
        # Always read the entry, even when its RDN is uid=...: a leader who has left
        # must come back as "no leader", not as the username of a deleted account.
        username_attribute = self.settings.username_attribute
        try:
            entries = self._search(
                connection, manager_dn, "(objectClass=*)", [username_attribute], scope=BASE
            )
            leader = first_text(entries[0], username_attribute) if entries else ""
        except Exception as error:  # noqa: BLE001 - see docstring
            self.log.info("directory: leader %s not resolved: %s", manager_dn, error)
            leader = ""
        else:
            if not leader:
                self.log.info("directory: leader %s not found", manager_dn)
        cache[manager_dn] = leader or None
        return leader or None

    # --- start-up -------------------------------------------------------------------
    def _announce_configuration(self) -> None:
        settings = self.settings
        if settings.is_demo:
            self.log.info("directory: embedded demo directory (every password is 'demo')")
            return
        if settings.tls_insecure:
            self.log.warning(
                "directory: LDAP_TLS_INSECURE is on - the certificate of %s is NOT checked; "
                "anyone on the network path can read passwords", settings.host,
            )
        if settings.any_plain:
            self.log.warning(
                "directory: %s without TLS - passwords cross the network unencrypted; "
                "use ldaps:// or LDAP_START_TLS=1", settings.url,
            )
        if not settings.has_service_account:
            self.log.info(
                "directory: no LDAP_BIND_DN - sign-in binds directly; people search is off"
            )


def _people_filter(settings: DirectorySettings) -> str:
    """The sign-in filter with `{username}` as a presence test, so the picker offers the
    same people who can sign in (disabled AD accounts stay out)."""
    base = settings.user_filter.replace("{username}", "*")
    return f"(&{base}{settings.people_filter})" if settings.people_filter else base
