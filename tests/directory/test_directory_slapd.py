"""The directory client against a real OpenLDAP server (slapd), including TLS and outages."""
from __future__ import annotations

import logging
import time

import pytest

from app.directory import AuthenticationFailed, DirectoryUnavailable
from tests.directory.slapd_server import SERVICE_PASSWORD, SUFFIX

# ldap3 2.9.1 checks the server's host name with the deprecated ssl.match_hostname().
pytestmark = pytest.mark.filterwarnings("ignore:ssl.match_hostname:DeprecationWarning")


# --- sign-in ----------------------------------------------------------------------
def test_search_then_bind_returns_the_person(slapd, slapd_directory):
    person = slapd_directory.authenticate("per", "per-passord")

    entry_uuid = slapd.read(f"uid=per,ou=people,{SUFFIX}", "entryUUID")["entryUUID"][0]
    assert person.directory_id == entry_uuid.lower()
    assert person.username == "per"
    assert person.display_name == "Per Hansen"
    assert person.email == "per@kommune.no"
    assert person.unit == "IKT"  # from `ou`: OpenLDAP has no `department`
    assert person.title == "Systemkonsulent"
    # per's manager is "cn=Nils Bakke,...": the username is read from that entry.
    assert person.leader_username == "nils"
    # per is in ikt-drift, which is a member of faseport-ikt (the ikt role group).
    assert person.roles == {"ikt"}


@pytest.mark.parametrize(("username", "password", "leader", "roles"), [
    ("ida", "ida-passord", "ola", set()),  # helse-alle is not a role group
    ("nils", "nils-passord", None, {"ikt"}),  # nils has no manager
    ("siri", "siri-passord", "randi", {"personvern"}),  # a direct member
    ("tor", "tor-passord", None, set()),  # his manager's entry does not exist
    ("ase", "åse-passord", None, set()),  # non-ASCII name and password
])
def test_leaders_and_roles(slapd_directory, username, password, leader, roles):
    person = slapd_directory.authenticate(username, password)
    assert person.username == username
    assert person.leader_username == leader
    assert person.roles == roles


def test_non_ascii_names_come_back_intact(slapd_directory):
    assert slapd_directory.authenticate("ase", "åse-passord").display_name == "Åse Øvrebø"


@pytest.mark.parametrize(("username", "password", "reason"), [
    ("per", "feil-passord", "invalid credentials"),
    ("per", "PER-PASSORD", "invalid credentials"),
    ("ukjent", "per-passord", "no such user"),
    ("dobbel", "dobbel-passord", "username matches several directory entries"),
    ("*", "per-passord", "no such user"),
    ("p*", "per-passord", "no such user"),
    ("per)(uid=*", "per-passord", "no such user"),
    ("faseport-service", SERVICE_PASSWORD, "no such user"),  # not an inetOrgPerson
])
def test_refused_sign_ins(slapd_directory, username, password, reason):
    with pytest.raises(AuthenticationFailed) as failure:
        slapd_directory.authenticate(username, password)
    assert failure.value.reason == reason


def test_a_name_with_parentheses_and_an_asterisk_signs_in(slapd_directory):
    person = slapd_directory.authenticate("vikar", "vikar-passord")
    assert person.display_name == "Test (Vikar*) Person"


def test_the_password_is_never_logged(slapd_make, caplog):
    caplog.set_level(logging.DEBUG)
    directory = slapd_make(logger=logging.getLogger("tests.directory.slapd"))
    directory.authenticate("ida", "ida-passord")
    with pytest.raises(AuthenticationFailed):
        directory.authenticate("ida", "Feil-Passord-123")
    assert caplog.records  # the test does capture the client's log
    assert "ida-passord" not in caplog.text
    assert "Feil-Passord-123" not in caplog.text
    assert "service-secret" not in caplog.text


def test_direct_bind_without_a_service_account(slapd_make):
    directory = slapd_make(
        LDAP_BIND_DN="", LDAP_BIND_PASSWORD="", LDAP_BASE_DN=f"ou=people,{SUFFIX}"
    )
    person = directory.authenticate("per", "per-passord")
    assert (person.username, person.leader_username, person.roles) == ("per", "nils", {"ikt"})
    with pytest.raises(AuthenticationFailed, match="invalid credentials"):
        directory.authenticate("per", "feil")
    assert directory.ping() is True
    with pytest.raises(DirectoryUnavailable):
        directory.search_people("per")


def test_a_wrong_service_password_is_an_outage(slapd_make):
    directory = slapd_make(LDAP_BIND_PASSWORD="feil")
    with pytest.raises(DirectoryUnavailable, match="service account"):
        directory.authenticate("per", "per-passord")
    assert directory.ping() is False


# --- people search and look-ups -------------------------------------------------------
@pytest.mark.parametrize("query", ["øvre", "ØVRE", "åse", "Åse Øvrebø", "øvrebø åse"])
def test_search_finds_norwegian_names(slapd_directory, query):
    assert [p.username for p in slapd_directory.search_people(query)] == ["ase"]


@pytest.mark.parametrize(("query", "expected"), [
    ("**", []),  # as a wildcard: everyone
    ("* *", ["vikar"]),  # each word is a literal "*"
    ("r*", ["vikar"]),  # literally in "Vikar*"; as a wildcard: everyone with an r
    ("(vikar*)", ["vikar"]),
    ("*)", ["vikar"]),
    ("(v", ["vikar"]),
    ("\\2a", []),
    ("a)(uid=*", []),
])
def test_filter_metacharacters_match_literally(slapd_directory, query, expected):
    assert [p.username for p in slapd_directory.search_people(query)] == expected


def test_search_limit_is_respected(slapd_directory):
    everyone = slapd_directory.search_people("kommune.no", limit=50)
    assert len(everyone) == 9  # people with a mail address
    assert len(slapd_directory.search_people("kommune.no", limit=3)) == 3  # sizeLimitExceeded is fine
    names = [p.display_name for p in everyone]
    assert names[-1] == "Åse Øvrebø"  # Norwegian order: Å after Z


def test_find_person(slapd_directory):
    per = slapd_directory.find_person("per")
    assert per.display_name == "Per Hansen" and per.roles == {"ikt"}
    assert slapd_directory.find_person("ukjent") is None
    assert slapd_directory.find_person("*") is None
    assert slapd_directory.find_person("dobbel") is None


def test_ping(slapd_directory):
    assert slapd_directory.ping() is True


# --- TLS ----------------------------------------------------------------------------
def test_starttls_with_the_right_ca(slapd_make, slapd_certificates):
    directory = slapd_make(LDAP_START_TLS=True, LDAP_CA_FILE=str(slapd_certificates.ca_file))
    assert directory.authenticate("per", "per-passord").roles == {"ikt"}
    assert directory.ping() is True


def test_starttls_with_another_ca_is_refused(slapd_make, slapd_certificates):
    directory = slapd_make(LDAP_START_TLS=True, LDAP_CA_FILE=str(slapd_certificates.other_ca_file))
    with pytest.raises(DirectoryUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        directory.authenticate("per", "per-passord")
    assert directory.ping() is False


def test_starttls_without_ca_file_uses_the_system_store_and_refuses(slapd_make):
    # The test CA is not in the system store, so this must fail rather than fall back.
    with pytest.raises(DirectoryUnavailable):
        slapd_make(LDAP_START_TLS=True).authenticate("per", "per-passord")


def test_ldaps_with_the_right_ca(slapd, slapd_make, slapd_certificates):
    directory = slapd_make(LDAP_URL=slapd.ldaps_url, LDAP_CA_FILE=str(slapd_certificates.ca_file))
    assert directory.authenticate("ida", "ida-passord").leader_username == "ola"


def test_ldaps_with_another_ca_is_refused(slapd, slapd_make, slapd_certificates):
    directory = slapd_make(LDAP_URL=slapd.ldaps_url, LDAP_CA_FILE=str(slapd_certificates.other_ca_file))
    with pytest.raises(DirectoryUnavailable):
        directory.authenticate("ida", "ida-passord")


def test_insecure_tls_works_and_warns(slapd_make, caplog):
    logger = logging.getLogger("tests.directory.insecure")
    with caplog.at_level(logging.WARNING, logger="tests.directory.insecure"):
        directory = slapd_make(logger=logger, LDAP_START_TLS=True, LDAP_TLS_INSECURE=True)
    assert any(
        r.levelno == logging.WARNING and "LDAP_TLS_INSECURE" in r.getMessage() for r in caplog.records
    )
    assert directory.authenticate("per", "per-passord").username == "per"


def test_plain_ldap_warns_about_clear_text(slapd_make, caplog):
    logger = logging.getLogger("tests.directory.plain")
    with caplog.at_level(logging.WARNING, logger="tests.directory.plain"):
        slapd_make(logger=logger)
    assert "unencrypted" in caplog.text


# --- outages ------------------------------------------------------------------------
def test_outage_and_recovery(slapd_private, slapd_private_directory):
    directory = slapd_private_directory
    assert directory.authenticate("per", "per-passord").username == "per"

    slapd_private.stop()
    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable):
        directory.authenticate("per", "per-passord")
    with pytest.raises(DirectoryUnavailable):
        directory.search_people("per")
    assert directory.ping() is False
    assert time.monotonic() - started < 3

    slapd_private.start()  # same database, same port
    assert directory.ping() is True
    assert directory.authenticate("per", "per-passord").roles == {"ikt"}


def test_a_hung_server_times_out(slapd_private, slapd_private_directory):
    directory = slapd_private_directory
    slapd_private.freeze()  # accepts connections, never answers
    try:
        started = time.monotonic()
        with pytest.raises(DirectoryUnavailable):
            directory.authenticate("per", "per-passord")
        assert directory.ping() is False
        assert time.monotonic() - started < 5  # two operations, 1 s timeout each
    finally:
        slapd_private.thaw()
    assert directory.authenticate("per", "per-passord").username == "per"


def test_a_certificate_for_another_name_is_refused(slapd, slapd_make, slapd_certificates):
    # "127.1" reaches 127.0.0.1 but is not a name in the certificate (127.0.0.1, localhost):
    # the CA is right, so only the host name check can refuse this.
    directory = slapd_make(
        LDAP_URL=f"ldaps://127.1:{slapd.ldaps_port}", LDAP_CA_FILE=str(slapd_certificates.ca_file)
    )
    with pytest.raises(DirectoryUnavailable, match="doesn't match"):
        directory.authenticate("ida", "ida-passord")
