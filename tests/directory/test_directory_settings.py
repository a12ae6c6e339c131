"""LDAP_* settings: dialect and demo defaults, and refusal of configurations that cannot work."""
from __future__ import annotations

import pytest

from app.directory.demo import DEMO_BASE_DN, DEMO_BIND_DN
from app.directory.roles import (
    group_search_base,
    normalise_dn,
    parse_role_groups,
    roles_for_groups,
)
from app.directory.settings import DirectoryConfigError, DirectorySettings

IKT_DEMO_GROUP = "cn=faseport-ikt,ou=groups,dc=demo,dc=kommune,dc=no"
AD_CONFIG = {
    "LDAP_URL": "ldaps://dc01.kommune.no",
    "LDAP_DIALECT": "ad",
    "LDAP_BASE_DN": "DC=kommune,DC=no",
    "LDAP_BIND_DN": "CN=svc-faseport,OU=Service,DC=kommune,DC=no",
    "LDAP_BIND_PASSWORD": "hemmelig",
}


def test_ad_defaults():
    settings = DirectorySettings.from_config(AD_CONFIG)
    assert settings.user_filter == (
        "(&(objectClass=user)(sAMAccountName={username})"
        "(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"
    )
    assert settings.username_attribute == "sAMAccountName"
    assert settings.id_attribute == "objectGUID"
    assert settings.use_ssl and settings.port == 636 and settings.host == "dc01.kommune.no"


def test_openldap_defaults():
    settings = DirectorySettings.from_config(
        {"LDAP_URL": "ldap://ldap.kommune.no:1389", "LDAP_BASE_DN": "dc=kommune,dc=no"}
    )
    assert settings.dialect == "openldap"
    assert settings.user_filter == "(&(objectClass=inetOrgPerson)(uid={username}))"
    assert settings.username_attribute == "uid"
    assert settings.id_attribute == "entryUUID"
    assert not settings.use_ssl and settings.port == 1389
    assert not settings.has_service_account


def test_a_custom_user_filter_wins():
    settings = DirectorySettings.from_config(
        {
            **AD_CONFIG,
            "LDAP_USER_FILTER": (
                "(&(objectClass=user)(sAMAccountName={username})"
                "(memberOf=CN=Faseport,DC=kommune,DC=no))"
            ),
        }
    )
    assert "memberOf=CN=Faseport" in settings.user_filter


def test_demo_defaults():
    settings = DirectorySettings.from_config({"LDAP_URL": "demo", "LDAP_DIALECT": "ad"})
    assert settings.is_demo
    assert settings.dialect == "openldap"  # the demo data is OpenLDAP-shaped whatever is set
    assert settings.base_dn == DEMO_BASE_DN == "dc=demo,dc=kommune,dc=no"
    assert settings.bind_dn == DEMO_BIND_DN == "cn=faseport-service,ou=system,dc=demo,dc=kommune,dc=no"
    assert settings.bind_password == "demo-service"  # from demo_directory.json
    assert settings.role_groups == {
        role: (f"cn=faseport-{role},ou=groups,dc=demo,dc=kommune,dc=no",)
        for role in ("admin", "ikt", "personvern", "portefolje", "prosjekteier")
    }


def test_demo_role_groups_can_be_overridden():
    settings = DirectorySettings.from_config(
        {"LDAP_URL": "demo", "LDAP_ROLE_GROUPS": {"admin": IKT_DEMO_GROUP}}
    )
    assert settings.role_groups == {"admin": (IKT_DEMO_GROUP,)}


def test_string_flags_and_numbers_are_understood():
    settings = DirectorySettings.from_config(
        {**AD_CONFIG, "LDAP_URL": "ldap://dc01", "LDAP_START_TLS": "ja", "LDAP_TIMEOUT": "3"}
    )
    assert settings.start_tls is True and settings.timeout == 3


def test_the_password_never_appears_in_repr():
    settings = DirectorySettings.from_config(AD_CONFIG)
    assert "hemmelig" not in repr(settings)
    assert "hemmelig" not in str(settings)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"LDAP_BASE_DN": ""}, "LDAP_BASE_DN is required"),
        ({"LDAP_URL": "http://dc01.kommune.no"}, "LDAP_URL must be"),
        ({"LDAP_URL": "dc01.kommune.no"}, "LDAP_URL must be"),
        ({"LDAP_URL": "ldap://"}, "LDAP_URL must be"),
        ({"LDAP_URL": "ldap://dc01:port"}, "LDAP_URL must be"),
        ({"LDAP_URL": "ldap://dc01/dc=kommune,dc=no"}, "no base DN"),
        ({"LDAP_USER_FILTER": "(sAMAccountName=ida)"}, "must contain {username}"),
        ({"LDAP_USER_FILTER": "sAMAccountName={username}"}, "enclosed in parentheses"),
        ({"LDAP_USER_FILTER": "(&(sAMAccountName={username})"}, "not a valid filter"),
        ({"LDAP_DIALECT": "novell"}, "LDAP_DIALECT must be one of"),
        ({"LDAP_BIND_PASSWORD": ""}, "LDAP_BIND_PASSWORD is empty"),
        ({"LDAP_BIND_DN": ""}, "LDAP_BIND_DN is empty"),
        ({"LDAP_BIND_DN": "", "LDAP_BIND_PASSWORD": ""}, "LDAP_UPN_SUFFIX"),
        ({"LDAP_START_TLS": True}, "cannot be combined with an ldaps://"),
        ({"LDAP_CA_FILE": "/nonexistent/ca.pem"}, "does not exist"),
        ({"LDAP_TIMEOUT": 0}, "LDAP_TIMEOUT"),
        ({"LDAP_TIMEOUT": "fem"}, "LDAP_TIMEOUT"),
        ({"LDAP_BASE_DN": "kommune.no"}, "LDAP_BASE_DN 'kommune.no' is not a valid DN"),
        ({"LDAP_ROLE_GROUPS": {"superuser": "cn=x,dc=kommune,dc=no"}}, "unknown role 'superuser'"),
        ({"LDAP_ROLE_GROUPS": {"admin": ""}}, "LDAP_ROLE_GROUPS['admin']"),
        ({"LDAP_ROLE_GROUPS": {"admin": "Faseport admins"}}, "is not a DN"),
    ],
)
def test_inconsistent_settings_are_refused_at_start_up(changes, message):
    with pytest.raises(DirectoryConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        DirectorySettings.from_config({**AD_CONFIG, **changes})


def test_ad_direct_bind_with_upn_suffix_is_accepted():
    settings = DirectorySettings.from_config(
        {**AD_CONFIG, "LDAP_BIND_DN": "", "LDAP_BIND_PASSWORD": "", "LDAP_UPN_SUFFIX": "@kommune.no"}
    )
    assert settings.upn_suffix == "kommune.no" and not settings.has_service_account


# --- role groups --------------------------------------------------------------------
def test_dns_compare_case_and_space_insensitively():
    assert normalise_dn("CN=Faseport  IKT , OU=Groups,DC=Kommune, DC=no") == normalise_dn(
        "cn=faseport ikt,ou=groups,dc=kommune,dc=no"
    )
    assert normalise_dn("cn=faseport-ikt,dc=x") != normalise_dn("cn=faseport-iktx,dc=x")


def test_group_membership_maps_to_roles():
    role_groups = parse_role_groups(
        {
            "ikt": "CN=Faseport-IKT,OU=Groups,DC=kommune,DC=no",
            "admin": ["cn=faseport-admin,ou=groups,dc=kommune,dc=no", "cn=domain admins,dc=kommune,dc=no"],
            "personvern": "cn=faseport-personvern,ou=groups,dc=kommune,dc=no",
        }
    )
    member_of = [
        "cn=faseport-ikt, ou=groups, dc=kommune, dc=no",
        "CN=Domain Admins,DC=kommune,DC=no",
        "cn=helse-alle,ou=groups,dc=kommune,dc=no",
    ]
    assert roles_for_groups(member_of, role_groups) == {"ikt", "admin"}
    assert roles_for_groups([], role_groups) == frozenset()
    assert roles_for_groups(member_of, {}) == frozenset()


def test_groups_are_searched_where_both_people_and_role_groups_live():
    groups = parse_role_groups({"ikt": "CN=Faseport-IKT,OU=Grupper,DC=Kommune,DC=no"})
    assert group_search_base("ou=people,dc=kommune,dc=no", groups) == "dc=kommune,dc=no"
    assert group_search_base("dc=kommune,dc=no", groups) == "dc=kommune,dc=no"
    assert group_search_base("ou=people,dc=kommune,dc=no", {}) == "ou=people,dc=kommune,dc=no"
    other = parse_role_groups({"ikt": "cn=x,o=elsewhere"})
    assert group_search_base("ou=people,dc=kommune,dc=no", other) == "ou=people,dc=kommune,dc=no"
