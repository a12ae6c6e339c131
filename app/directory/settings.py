"""The LDAP_* settings as one checked, immutable object.

`DirectorySettings.from_config(app.config)` fills in the defaults of the chosen dialect
(Active Directory or OpenLDAP) or of the embedded demo directory, and refuses an
inconsistent configuration at start-up with a message that names the setting.
"""
from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ldap3.core.exceptions import LDAPException
from ldap3.operation.search import parse_filter
from ldap3.utils.dn import parse_dn

from app.directory import demo
from config import SettingError
from app.directory.roles import parse_role_groups

AD = "ad"
OPENLDAP = "openldap"
DEMO_URL = "demo"


class DirectoryConfigError(SettingError):
    """An LDAP_* setting is missing, malformed or contradicts another one."""


@dataclass(frozen=True)
class ServerAddress:
    """One domain controller or LDAP server named in LDAP_URL."""

    url: str

    @property
    def use_ssl(self) -> bool:
        """ldaps:// (TLS from the first byte) rather than ldap:// (plain or StartTLS)."""
        return urlsplit(self.url).scheme.lower() == "ldaps"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or (636 if self.use_ssl else 389)

    @property
    def host_is_ip(self) -> bool:
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return True

    @property
    def label(self) -> str:
        """`ldap://dc01.kommune.local:389`: how logs and /healthz name the server."""
        scheme = "ldaps" if self.use_ssl else "ldap"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"


def split_urls(value: str) -> tuple[str, ...]:
    """LDAP_URL as a list: URLs separated by spaces and/or commas, in the order given."""
    return tuple(part for part in re.split(r"[\s,]+", value.strip()) if part)


@dataclass(frozen=True)
class Dialect:
    """What differs between Active Directory and OpenLDAP."""

    #: the sign-in filter; `{username}` is replaced by the escaped username
    user_filter: str
    #: the attribute people type at sign-in
    username_attribute: str
    #: the attribute that survives renames (becomes Person.directory_id)
    id_attribute: str
    #: extra condition for the people search, on top of the user filter
    people_filter: str = ""


DIALECTS: dict[str, Dialect] = {
    AD: Dialect(
        # Disabled accounts (userAccountControl bit 2) cannot sign in and are not offered
        # in the people picker either.
        user_filter=(
            "(&(objectClass=user)(sAMAccountName={username})"
            "(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"
        ),
        username_attribute="sAMAccountName",
        id_attribute="objectGUID",
        # Computer accounts are objectClass=user too; keep them out of the picker.
        people_filter="(objectCategory=person)",
    ),
    OPENLDAP: Dialect(
        user_filter="(&(objectClass=inetOrgPerson)(uid={username}))",
        username_attribute="uid",
        id_attribute="entryUUID",
    ),
}

_TRUE_WORDS = {"1", "true", "yes", "on", "ja"}


@dataclass(frozen=True)
class DirectorySettings:
    """Everything the directory client needs, checked by `validate()`."""

    url: str
    dialect: str = OPENLDAP
    base_dn: str = ""
    bind_dn: str = ""
    #: never part of repr(), so it cannot end up in a log line or a traceback
    bind_password: str = field(default="", repr=False)
    user_filter: str = ""
    start_tls: bool = False
    ca_file: str = ""
    tls_insecure: bool = False
    #: seconds, for connecting and for every answer
    timeout: int = 5
    #: AD without a service account binds as user@upn_suffix
    upn_suffix: str = ""
    #: app role -> group DNs that grant it
    role_groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    username_attribute: str = ""
    id_attribute: str = ""
    people_filter: str = ""

    # --- derived values -----------------------------------------------------------
    @property
    def is_demo(self) -> bool:
        """The embedded demo directory (LDAP_URL=demo) instead of a real server."""
        return self.url.strip().lower() == DEMO_URL

    @property
    def servers(self) -> tuple[ServerAddress, ...]:
        """Every server in LDAP_URL, first choice first (empty for the demo)."""
        if self.is_demo:
            return ()
        return tuple(ServerAddress(url) for url in split_urls(self.url))

    @property
    def first_server(self) -> ServerAddress:
        servers = self.servers
        return servers[0] if servers else ServerAddress(self.url)

    @property
    def use_ssl(self) -> bool:
        """The (first) server is ldaps://."""
        return self.first_server.use_ssl

    @property
    def any_plain(self) -> bool:
        """Some server is reached without TLS (ldap:// without StartTLS)."""
        return not self.start_tls and any(not server.use_ssl for server in self.servers)

    @property
    def host(self) -> str:
        return self.first_server.host

    @property
    def port(self) -> int:
        return self.first_server.port

    @property
    def host_is_ip(self) -> bool:
        return self.first_server.host_is_ip

    @property
    def has_service_account(self) -> bool:
        """Search-then-bind with LDAP_BIND_DN, rather than binding directly as the person."""
        return bool(self.bind_dn)

    # --- construction -------------------------------------------------------------
    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> DirectorySettings:
        """Read the LDAP_* keys of a Flask config (or any mapping), fill in the dialect's
        defaults, and validate. Raises DirectoryConfigError."""
        url = _text(config, "LDAP_URL") or DEMO_URL
        try:
            role_groups = parse_role_groups(config.get("LDAP_ROLE_GROUPS") or {})
        except ValueError as error:
            raise DirectoryConfigError(str(error)) from None

        if url.lower() == DEMO_URL:
            # The demo is an OpenLDAP-shaped directory whatever LDAP_DIALECT says; its
            # service account and groups are fixed by the demo data.
            dialect_name = OPENLDAP
            base_dn = _text(config, "LDAP_BASE_DN") or demo.DEMO_BASE_DN
            bind_dn = _text(config, "LDAP_BIND_DN") or demo.DEMO_BIND_DN
            bind_password = (
                _text(config, "LDAP_BIND_PASSWORD", strip=False)
                if _text(config, "LDAP_BIND_DN")
                else demo.demo_service_password()
            )
            role_groups = role_groups or parse_role_groups(demo.DEMO_ROLE_GROUPS)
        else:
            dialect_name = (_text(config, "LDAP_DIALECT") or OPENLDAP).lower()
            base_dn = _text(config, "LDAP_BASE_DN")
            bind_dn = _text(config, "LDAP_BIND_DN")
            bind_password = _text(config, "LDAP_BIND_PASSWORD", strip=False)

        if dialect_name not in DIALECTS:
            raise DirectoryConfigError(
                f"LDAP_DIALECT must be one of {', '.join(sorted(DIALECTS))}, not {dialect_name!r}"
            )
        dialect = DIALECTS[dialect_name]
        settings = cls(
            url=url,
            dialect=dialect_name,
            base_dn=base_dn,
            bind_dn=bind_dn,
            bind_password=bind_password,
            user_filter=_text(config, "LDAP_USER_FILTER") or dialect.user_filter,
            start_tls=_flag(config, "LDAP_START_TLS"),
            ca_file=_text(config, "LDAP_CA_FILE"),
            tls_insecure=_flag(config, "LDAP_TLS_INSECURE"),
            timeout=_integer(config, "LDAP_TIMEOUT", 5),
            upn_suffix=_text(config, "LDAP_UPN_SUFFIX").lstrip("@"),
            role_groups=role_groups,
            username_attribute=dialect.username_attribute,
            id_attribute=dialect.id_attribute,
            people_filter=dialect.people_filter,
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raise DirectoryConfigError naming the first setting that cannot work."""
        if not self.is_demo:
            self._validate_url()
            if not self.base_dn:
                raise DirectoryConfigError("LDAP_BASE_DN is required unless LDAP_URL=demo")
        if self.dialect not in DIALECTS:
            raise DirectoryConfigError(f"LDAP_DIALECT {self.dialect!r} is not supported")
        if self.base_dn:
            _check_dn("LDAP_BASE_DN", self.base_dn)
        if self.bind_dn:
            _check_dn("LDAP_BIND_DN", self.bind_dn)
        self._validate_filter()
        if self.bind_dn and not self.bind_password:
            # A simple bind with a DN and no password is an *unauthenticated* bind that
            # many servers accept: refuse it rather than run on an anonymous identity.
            raise DirectoryConfigError("LDAP_BIND_DN is set but LDAP_BIND_PASSWORD is empty")
        if self.bind_password and not self.bind_dn:
            raise DirectoryConfigError("LDAP_BIND_PASSWORD is set but LDAP_BIND_DN is empty")
        if not self.bind_dn and self.dialect == AD and not self.upn_suffix:
            raise DirectoryConfigError(
                "Active Directory without LDAP_BIND_DN needs LDAP_UPN_SUFFIX (user@suffix)"
            )
        if self.start_tls and any(server.use_ssl for server in self.servers):
            raise DirectoryConfigError("LDAP_START_TLS cannot be combined with an ldaps:// URL")
        if self.ca_file and not os.path.isfile(self.ca_file):
            raise DirectoryConfigError(f"LDAP_CA_FILE {self.ca_file!r} does not exist")
        if not 1 <= self.timeout <= 300:
            raise DirectoryConfigError("LDAP_TIMEOUT must be between 1 and 300 seconds")

    def _validate_url(self) -> None:
        expected = (
            "LDAP_URL must be ldap://host[:port] or ldaps://host[:port] (several separated "
            "by spaces or commas) or demo"
        )
        urls = split_urls(self.url)
        if not urls:
            raise DirectoryConfigError(f"{expected}, not {self.url!r}")
        for url in urls:
            try:
                parts = urlsplit(url)
                parts.port  # noqa: B018 - raises ValueError for a port that is not a number
            except ValueError:
                raise DirectoryConfigError(f"{expected}, not {url!r}") from None
            if parts.scheme.lower() not in ("ldap", "ldaps") or not parts.hostname:
                raise DirectoryConfigError(f"{expected}, not {url!r}")
            if parts.path not in ("", "/") or parts.query or parts.username:
                raise DirectoryConfigError(
                    f"{expected} (no base DN, user or options in the URL), not {url!r}"
                )
        if len(set(urls)) != len(urls):
            raise DirectoryConfigError(f"LDAP_URL names the same server twice: {self.url!r}")

    def _validate_filter(self) -> None:
        if "{username}" not in self.user_filter:
            raise DirectoryConfigError("LDAP_USER_FILTER must contain {username}")
        sample = self.user_filter.replace("{username}", "x")
        if not (sample.startswith("(") and sample.endswith(")")):
            raise DirectoryConfigError("LDAP_USER_FILTER must be enclosed in parentheses")
        try:
            parse_filter(sample, None, auto_escape=False, auto_encode=False, validator=None,
                         check_names=False)
        except (LDAPException, ValueError, IndexError) as error:
            raise DirectoryConfigError(f"LDAP_USER_FILTER is not a valid filter: {error}") from None


def _text(config: Mapping[str, object], key: str, strip: bool = True) -> str:
    value = config.get(key)
    if value is None:
        return ""
    value = str(value)
    return value.strip() if strip else value


def _flag(config: Mapping[str, object], key: str) -> bool:
    value = config.get(key)
    if isinstance(value, str):
        return value.strip().lower() in _TRUE_WORDS
    return bool(value)


def _integer(config: Mapping[str, object], key: str, default: int) -> int:
    value = config.get(key)
    if value in (None, ""):
        return default
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DirectoryConfigError(f"{key} must be a whole number of seconds") from None


def _check_dn(key: str, dn: str) -> None:
    try:
        parse_dn(dn, escape=False, strip=True)
    except (LDAPException, ValueError, IndexError, AttributeError):
        raise DirectoryConfigError(f"{key} {dn!r} is not a valid DN") from None
