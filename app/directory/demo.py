"""The embedded demo directory (LDAP_URL=demo).

A directory held in memory by ldap3's MOCK_SYNC strategy and loaded from
`demo_directory.json`, so that the demo runs the very same client code (search, bind,
group lookup) as production, just without a server. It is OpenLDAP-shaped: `uid`,
`entryUUID` (stored as an ordinary attribute) and `memberOf` on the people.

ldap3 keeps a mock directory on the `Server` object (`server.dit`), so one Server per
connector holds the data and every per-operation Connection sees it.
"""
from __future__ import annotations

import copy
import json
import threading
from functools import lru_cache
from pathlib import Path

from ldap3 import MOCK_SYNC, NONE, SIMPLE, Connection, Server
from ldap3.utils.conv import to_raw
from ldap3.utils.dn import safe_dn

DEMO_DATA_FILE = Path(__file__).with_name("demo_directory.json")
DEMO_BASE_DN = "dc=demo,dc=kommune,dc=no"
DEMO_BIND_DN = f"cn=faseport-service,ou=system,{DEMO_BASE_DN}"
#: the demo's groups for the application roles (used unless LDAP_ROLE_GROUPS is set)
DEMO_ROLE_GROUPS = {
    role: f"cn=faseport-{role},ou=groups,{DEMO_BASE_DN}"
    for role in ("admin", "ikt", "personvern", "portefolje", "prosjekteier")
}


@lru_cache(maxsize=4)
def load_demo_entries(path: Path = DEMO_DATA_FILE) -> tuple[tuple[str, dict], ...]:
    """The demo entries as (dn, attributes) pairs, parsed once per process.

    The file uses the layout of ldap3's `entries_from_json` (`{"entries": [{"dn",
    "raw"}]}`), so it can also be loaded into any other mock connection.
    """
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    return tuple((entry["dn"], entry["raw"]) for entry in document["entries"])


def demo_service_password() -> str:
    """The demo service account's password, as stored in the demo data."""
    for dn, attributes in load_demo_entries():
        if dn.lower() == DEMO_BIND_DN.lower():
            return attributes["userPassword"][0]
    raise LookupError(f"{DEMO_BIND_DN} is missing from {DEMO_DATA_FILE.name}")


class _DemoConnection(Connection):
    """A mock connection whose bind compares the password exactly.

    ldap3's mock checks userPassword with its equality matching, which ignores case, so
    "DEMO" would be accepted; a demo must not suggest that passwords are case-blind.
    """

    def bind(self, *args, **kwargs):
        entry = self.server.dit.get(safe_dn(self.user)) if self.user else None
        if entry is not None and self.password is not None:
            if to_raw(self.password) not in entry.get("userPassword", []):
                self.bound = False
                self.result = {
                    "result": 49, "description": "invalidCredentials", "dn": "",
                    "message": "invalid credentials", "referrals": None, "type": "bindResponse",
                }
                return False
        return super().bind(*args, **kwargs)


class DemoConnector:
    """Builds MOCK_SYNC connections over one in-memory copy of the demo data."""

    #: ldap3's mock turns the filter back into text *without* re-escaping it, so an
    #: escaped `\\2a` becomes a wildcard and `\\28` a syntax error. The client therefore
    #: never sends a filter metacharacter to the demo; the demo data contains none, so
    #: such input cannot match anything anyway (a unit test checks that).
    literal_filters = False

    def __init__(self, path: Path = DEMO_DATA_FILE):
        self._path = path
        self._server = Server("demo", get_info=NONE)
        self._loaded = False
        self._load_lock = threading.Lock()

    def open(self, user: str | None, password: str | None) -> Connection:
        """An open mock connection, not yet bound; loads the demo data on first use."""
        connection = _DemoConnection(
            self._server,
            user=user,
            password=password,
            authentication=SIMPLE,
            client_strategy=MOCK_SYNC,
            read_only=True,
            raise_exceptions=False,  # same result handling as for a real server
            auto_referrals=False,
        )
        self._load(connection)
        connection.open()
        return connection

    def _load(self, connection: Connection) -> None:
        if self._loaded:
            return
        with self._load_lock:
            if self._loaded:
                return
            for dn, attributes in load_demo_entries(self._path):
                # add_entry rewrites the dict it is given: hand it a copy of the cache.
                connection.strategy.add_entry(dn, copy.deepcopy(attributes), validate=False)
            self._loaded = True
