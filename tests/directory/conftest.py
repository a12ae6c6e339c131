"""Fixtures for the directory tests.

These build `Directory` objects straight from a dict of LDAP_* settings, without a Flask
app, so they do not depend on (or clash with) the global `app`, `client` and `db`
fixtures. Fixture names start with `dir_` or `slapd`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.directory.client import Directory
from app.directory.settings import DirectorySettings
from tests.directory.slapd_server import (
    SERVICE_DN,
    SERVICE_PASSWORD,
    SUFFIX,
    Certificates,
    SlapdServer,
    make_certificates,
    require_slapd,
)

#: role groups for the slapd tests, spelled in another case and spacing than in the
#: directory on purpose (group DNs must compare case- and space-insensitively)
SLAPD_ROLE_GROUPS = {
    "ikt": "CN=Faseport-IKT, OU=Groups, DC=Kommune, DC=no",
    "personvern": "cn=faseport-personvern,ou=groups,dc=kommune,dc=no",
}

DirectoryFactory = Callable[..., Directory]


def build_directory(config: dict, logger: logging.Logger | None = None) -> Directory:
    """A Directory from LDAP_* settings, as `init_app` would build it."""
    return Directory(
        DirectorySettings.from_config(config),
        logger=logger or logging.getLogger("tests.directory"),
    )


@pytest.fixture
def dir_make() -> DirectoryFactory:
    """`dir_make(LDAP_URL=..., ...)` -> Directory (settings as keyword arguments)."""

    def make(**config) -> Directory:
        return build_directory(config)

    return make


@pytest.fixture(scope="session")
def dir_demo() -> Directory:
    """The embedded demo directory, with its default service account and role groups."""
    return build_directory({"LDAP_URL": "demo", "LDAP_TIMEOUT": 5})


# --- real slapd -------------------------------------------------------------------
@pytest.fixture(scope="session")
def slapd_certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A test CA, a server certificate for 127.0.0.1/localhost and an unrelated CA."""
    require_slapd()
    return make_certificates(tmp_path_factory.mktemp("slapd-tls"))


def _started_server(directory: Path, certificates: Certificates) -> SlapdServer:
    server = SlapdServer(directory, certificates)
    server.start()
    try:
        server.load()
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="session")
def slapd(
    tmp_path_factory: pytest.TempPathFactory, slapd_certificates: Certificates
) -> Iterator[SlapdServer]:
    """One slapd for the whole session, loaded with data/kommune.ldif. Tests must not
    stop or change it (use `slapd_private` for that)."""
    server = _started_server(tmp_path_factory.mktemp("slapd"), slapd_certificates)
    yield server
    server.stop()


@pytest.fixture
def slapd_private(tmp_path: Path, slapd_certificates: Certificates) -> Iterator[SlapdServer]:
    """A slapd of the test's own, which the test may stop, freeze and restart."""
    server = _started_server(tmp_path / "slapd", slapd_certificates)
    yield server
    server.stop()


def slapd_config(server: SlapdServer, **overrides) -> dict:
    """LDAP_* settings for `server`: search-then-bind with the service account."""
    config = {
        "LDAP_URL": server.url,
        "LDAP_DIALECT": "openldap",
        "LDAP_BASE_DN": SUFFIX,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "LDAP_TIMEOUT": 2,
        "LDAP_ROLE_GROUPS": SLAPD_ROLE_GROUPS,
    }
    config.update(overrides)
    return config


@pytest.fixture
def slapd_private_directory(slapd_private: SlapdServer) -> Directory:
    """A Directory for `slapd_private` with a 1-second timeout."""
    return build_directory(slapd_config(slapd_private, LDAP_TIMEOUT=1))


@pytest.fixture
def slapd_make(slapd: SlapdServer) -> DirectoryFactory:
    """`slapd_make(LDAP_START_TLS=True, ...)` -> Directory for the session slapd."""

    def make(logger: logging.Logger | None = None, **overrides) -> Directory:
        return build_directory(slapd_config(slapd, **overrides), logger=logger)

    return make


@pytest.fixture
def slapd_directory(slapd_make: DirectoryFactory) -> Directory:
    """The session slapd with the service account, plain ldap:// (no TLS)."""
    return slapd_make()


# --- real Samba Active Directory ---------------------------------------------------
#: role groups of the test domain; ikt is granted through the nested IKT-drift group
SAMBA_ROLE_GROUPS = {
    "admin": "CN=Faseport-admin,OU=Grupper,DC=kommune,DC=test",
    "ikt": "CN=IKT-avdelingen,OU=Grupper,DC=kommune,DC=test",
    "personvern": "CN=Personvernombud,OU=Grupper,DC=kommune,DC=test",
    "portefolje": "CN=Digitaliseringsradet,OU=Grupper,DC=kommune,DC=test",
}


def require_samba() -> None:
    """Skip locally, fail under CI=true, when a real Samba AD DC cannot run here."""
    from tests.directory.samba_server import missing_tools
    from tests.support.ci_guard import require

    missing = missing_tools()
    require(not missing, "real Samba AD tests need: " + ", ".join(missing))


@pytest.fixture(scope="session")
def samba_template() -> Path:
    """The provisioned test domain (made once per machine and Samba version)."""
    from tests.directory.samba_server import template_dir

    require_samba()
    return template_dir()


@pytest.fixture(scope="session")
def samba_tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Certificates]:
    """A loopback address for the session's DC and certificates naming it."""
    from tests.directory.samba_server import _random_loopback

    require_samba()
    address = _random_loopback()
    return address, make_certificates(tmp_path_factory.mktemp("samba-tls"), ip=address)


@pytest.fixture(scope="session")
def samba(tmp_path_factory, samba_template, samba_tls):
    """One Samba AD DC for the session (plain ldap:// and ldaps:// with the test CA).
    Tests must not change it; use `samba_private` for that."""
    from tests.directory.samba_server import SambaServer

    address, certificates = samba_tls
    server = SambaServer(tmp_path_factory.mktemp("samba") / "dc", samba_template,
                         tls_files=(certificates.cert_file, certificates.key_file,
                                    certificates.ca_file), address=address)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def samba_private(tmp_path_factory, samba_template):
    """A Samba DC for one test module, which its tests may change."""
    from tests.directory.samba_server import SambaServer

    server = SambaServer(tmp_path_factory.mktemp("samba-private") / "dc", samba_template)
    server.start()
    yield server
    server.stop()


def samba_config(server, **overrides) -> dict:
    """LDAP_* settings for a Samba DC, as the README's Active Directory example."""
    from tests.directory.samba_server import SERVICE_DN, SERVICE_PASSWORD

    config = {
        "LDAP_URL": server.url,
        "LDAP_DIALECT": "ad",
        "LDAP_BASE_DN": "OU=Ansatte,DC=kommune,DC=test",
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "LDAP_TIMEOUT": 5,
        "LDAP_ROLE_GROUPS": SAMBA_ROLE_GROUPS,
    }
    config.update(overrides)
    return config


def pytest_collection_modifyitems(config, items):
    """Directory tests that use no database run in the SQLite pass only: the PostgreSQL
    pass would start the same slapd and Samba again to prove nothing new."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents and not {"app", "db"} & set(item.fixturenames):
            item.add_marker(pytest.mark.sqlite_only)
