"""The staff directory: Active Directory or OpenLDAP through ldap3, or the embedded demo.

The rest of the app only sees `Person`, the two exceptions and the `Directory` methods
below; everything LDAP-shaped stays inside this package.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app


@dataclass(frozen=True)
class Person:
    """A person as the directory describes them."""

    directory_id: str  # objectGUID / entryUUID
    username: str  # sAMAccountName / uid
    display_name: str
    email: str = ""
    unit: str = ""  # department
    title: str = ""
    leader_username: str | None = None  # from `manager`
    roles: frozenset[str] = field(default_factory=frozenset)  # via LDAP_ROLE_GROUPS


class DirectoryUnavailable(Exception):
    """The directory could not be reached (network, timeout, TLS, service account)."""


class AuthenticationFailed(Exception):
    """Sign-in refused. `reason` is for the log only, never shown to the person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def init_app(app: Flask) -> None:
    """Build the directory client from the LDAP_* settings.

    Raises `app.directory.settings.DirectoryConfigError` (a ValueError) naming the
    setting when the configuration cannot work, so a bad LDAP_URL stops the start-up.
    """
    from app.directory.settings import DirectorySettings
    from app.directory.client import Directory

    settings = DirectorySettings.from_config(app.config)
    app.extensions["faseport_directory"] = Directory(settings, logger=app.logger)


def get_directory():
    """The app's directory client (`authenticate`, `search_people`, `find_person`, `ping`)."""
    return current_app.extensions["faseport_directory"]
