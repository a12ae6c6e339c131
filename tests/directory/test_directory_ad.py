"""Active Directory behaviour, against a scripted stand-in for a domain controller.

There is no AD in the test environment; these tests pin down what the client sends to
AD (in-chain group filter, UPN bind, disabled-account filter) and how it reads AD's
answers (objectGUID, bind sub-codes). The real-server behaviour of the shared code is
covered by the slapd tests.
"""
from __future__ import annotations

import re
import uuid

import pytest
from ldap3.core.exceptions import LDAPSocketReceiveError

from app.directory import AuthenticationFailed, DirectoryUnavailable
from app.directory.client import Directory
from app.directory.settings import DirectorySettings

BASE_DN = "DC=kommune,DC=no"
SERVICE_DN = "CN=svc-faseport,OU=Service,DC=kommune,DC=no"
PER_DN = r"CN=Hansen\, Per (IKT),OU=Ansatte,DC=kommune,DC=no"
NILS_DN = "CN=Nils Bakke,OU=Ansatte,DC=kommune,DC=no"
IKT_GROUP = "CN=Faseport-IKT,OU=Grupper,DC=kommune,DC=no"
ADMIN_GROUP = "CN=Faseport-Admin,OU=Grupper,DC=kommune,DC=no"
PER_GUID = uuid.UUID("0f3c1a55-7d2e-4c1b-9a6e-2b8f4d9e1c07")

AD_REFUSAL = "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data {code}, v4563"


def _entry(dn: str, **attributes) -> dict:
    """A search result entry as ldap3 returns it (values as bytes)."""
    raw = {}
    for name, values in attributes.items():
        values = values if isinstance(values, list) else [values]
        raw[name] = [v if isinstance(v, bytes) else v.encode() for v in values]
    return {"type": "searchResEntry", "dn": dn, "raw_attributes": raw}


class FakeDomainController:
    """Answers binds and the few searches the client makes; records everything."""

    literal_filters = True

    def __init__(self):
        self.passwords = {SERVICE_DN: "svc-pass", PER_DN: "per-pass", "per@kommune.no": "per-pass"}
        self.bind_sub_code = "52e"
        self.bind_result_code = 49
        self.fail_searches = False
        self.connections: list[FakeConnection] = []
        #: (bound DN, searches made on that connection before the bind), in order
        self.bind_log: list[tuple[str, int]] = []
        self.people = {
            "per": _entry(
                PER_DN, sAMAccountName="per", objectGUID=PER_GUID.bytes_le, displayName="Per Hansen",
                mail="per@kommune.no", department="IKT", title="Systemkonsulent", manager=NILS_DN,
            ),
        }
        self.nested_groups = {PER_DN: [IKT_GROUP]}  # what AD's in-chain rule would find

    def open(self, user, password):
        connection = FakeConnection(self, user, password)
        self.connections.append(connection)
        return connection

    @property
    def binds(self) -> list[str]:
        return [user for user, _searches_before in self.bind_log]

    @property
    def searches(self) -> list[tuple[str, str]]:
        return [s for c in self.connections for s in c.searches]


class FakeConnection:
    def __init__(self, dc: FakeDomainController, user, password):
        self.dc, self.user, self.password = dc, user, password
        self.bound_attempted = False
        self.searches: list[tuple[str, str]] = []
        self.result: dict = {}
        self.response: list = []

    def bind(self):
        self.bound_attempted = True
        self.dc.bind_log.append((self.user, len(self.searches)))
        if self.dc.passwords.get(self.user) == self.password:
            self.result = {"result": 0, "description": "success", "message": ""}
            return True
        code = self.dc.bind_result_code
        self.result = {"result": code, "description": "refused",
                       "message": AD_REFUSAL.format(code=self.dc.bind_sub_code)}
        return False

    def search(self, base, search_filter, search_scope, attributes, size_limit, time_limit):
        self.searches.append((base, search_filter))
        if self.dc.fail_searches:
            raise LDAPSocketReceiveError("connection reset by peer")
        self.result = {"result": 0, "description": "success", "message": ""}
        self.response = self._answer(base, search_filter, search_scope)
        return True

    def _answer(self, base, search_filter, scope):
        if scope == "BASE":
            if base == NILS_DN:
                return [_entry(NILS_DN, sAMAccountName="nils")]
            self.result = {"result": 32, "description": "noSuchObject", "message": ""}
            return []
        if "1.2.840.113556.1.4.1941" in search_filter:
            for user_dn, groups in self.dc.nested_groups.items():
                if f"1941:={_filter_escape(user_dn)})" in search_filter:
                    return [_entry(g) for g in groups]
            return []
        account = re.search(r"\(sAMAccountName=([^)*]+)\)", search_filter)
        if account and account.group(1).lower() in self.dc.people:
            return [self.dc.people[account.group(1).lower()]]
        if "(sAMAccountName=*)" in search_filter:
            return list(self.dc.people.values())
        return []

    def unbind(self):
        pass


def _filter_escape(value: str) -> str:
    return value.replace("\\", r"\5c").replace("*", r"\2a").replace("(", r"\28").replace(")", r"\29")


def make_ad(dc: FakeDomainController, **overrides) -> Directory:
    config = {
        "LDAP_URL": "ldaps://dc01.kommune.no",
        "LDAP_DIALECT": "ad",
        "LDAP_BASE_DN": BASE_DN,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": "svc-pass",
        "LDAP_ROLE_GROUPS": {"ikt": IKT_GROUP.upper(), "admin": ADMIN_GROUP},
        **overrides,
    }
    return Directory(DirectorySettings.from_config(config), connector=dc)


@pytest.fixture
def dir_ad() -> FakeDomainController:
    return FakeDomainController()


def test_search_then_bind_as_the_person_last(dir_ad):
    person = make_ad(dir_ad).authenticate("per", "per-pass")

    assert dir_ad.binds == [SERVICE_DN, PER_DN]
    # One connection (one TLS handshake); every search is made as the service account,
    # the bind as the person comes last and nothing is asked with their identity.
    (connection,) = dir_ad.connections
    assert dir_ad.bind_log[-1] == (PER_DN, len(connection.searches))
    assert person.directory_id == str(PER_GUID)
    assert (person.username, person.display_name, person.unit) == ("per", "Per Hansen", "IKT")
    assert person.leader_username == "nils"
    assert person.roles == {"ikt"}


def test_the_sign_in_filter_excludes_disabled_accounts_and_escapes(dir_ad):
    with pytest.raises(AuthenticationFailed):
        make_ad(dir_ad).authenticate("per*", "per-pass")
    _base, search_filter = dir_ad.searches[0]
    assert search_filter == (
        r"(&(objectClass=user)(sAMAccountName=per\2a)"
        "(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"
    )
    assert dir_ad.binds == [SERVICE_DN]  # nobody found: no bind with the typed password


def test_roles_use_the_in_chain_rule_with_the_escaped_user_dn(dir_ad):
    make_ad(dir_ad).authenticate("per", "per-pass")
    (group_query,) = [f for _b, f in dir_ad.searches if "1941" in f]
    assert group_query.startswith("(&(objectClass=group)(member:1.2.840.113556.1.4.1941:=")
    assert r"CN=Hansen\5c, Per \28IKT\29,OU=Ansatte" in group_query
    # Only the configured role groups are asked for.
    assert f"(distinguishedName={ADMIN_GROUP})" in group_query
    assert f"(distinguishedName={IKT_GROUP.upper()})" in group_query


@pytest.mark.parametrize(("sub_code", "reason"), [
    ("52e", "52e invalid credentials"),
    ("533", "533 account disabled"),
    ("775", "775 account locked"),
    ("532", "532 password expired"),
    ("773", "773 password must be reset"),
    ("701", "701 account expired"),
])
def test_refused_binds_carry_the_ad_reason(dir_ad, sub_code, reason):
    dir_ad.bind_sub_code = sub_code
    with pytest.raises(AuthenticationFailed) as failure:
        make_ad(dir_ad).authenticate("per", "wrong")
    assert failure.value.reason == reason


def test_a_busy_server_is_an_outage_not_a_wrong_password(dir_ad):
    dir_ad.bind_result_code = 51  # busy
    with pytest.raises(DirectoryUnavailable):
        make_ad(dir_ad).authenticate("per", "wrong")


def test_a_refused_service_account_is_an_outage(dir_ad):
    with pytest.raises(DirectoryUnavailable, match="service account"):
        make_ad(dir_ad, LDAP_BIND_PASSWORD="expired").authenticate("per", "per-pass")
    assert make_ad(dir_ad, LDAP_BIND_PASSWORD="expired").ping() is False


def test_a_dropped_connection_is_an_outage(dir_ad):
    dir_ad.fail_searches = True
    with pytest.raises(DirectoryUnavailable):
        make_ad(dir_ad).authenticate("per", "per-pass")
    with pytest.raises(DirectoryUnavailable):
        make_ad(dir_ad).search_people("per")


def test_direct_bind_uses_the_upn(dir_ad):
    directory = make_ad(dir_ad, LDAP_BIND_DN="", LDAP_BIND_PASSWORD="", LDAP_UPN_SUFFIX="kommune.no")
    person = directory.authenticate("per", "per-pass")
    assert dir_ad.binds == ["per@kommune.no"]
    assert person.username == "per" and person.roles == {"ikt"}


def test_people_search_leaves_out_computers_and_disabled_accounts(dir_ad):
    people = make_ad(dir_ad).search_people("hansen (ikt")
    assert [p.username for p in people] == ["per"]
    _base, search_filter = dir_ad.searches[0]
    assert "(objectCategory=person)" in search_filter
    assert "(!(userAccountControl:1.2.840.113556.1.4.803:=2))" in search_filter
    assert r"(sAMAccountName=*\28ikt*)" in search_filter


def test_an_empty_password_never_reaches_a_real_server():
    # Port 1 on localhost: any connection attempt would fail with DirectoryUnavailable.
    directory = Directory(DirectorySettings.from_config({
        "LDAP_URL": "ldap://127.0.0.1:1", "LDAP_DIALECT": "ad", "LDAP_BASE_DN": BASE_DN,
        "LDAP_BIND_DN": SERVICE_DN, "LDAP_BIND_PASSWORD": "svc-pass", "LDAP_TIMEOUT": 1,
    }))
    for username, password in [("per", ""), ("", "x"), (" ", "x")]:
        with pytest.raises(AuthenticationFailed, match="empty username/password"):
            directory.authenticate(username, password)
    with pytest.raises(DirectoryUnavailable):  # and the port really is unreachable
        directory.authenticate("per", "x")
    assert directory.ping() is False
