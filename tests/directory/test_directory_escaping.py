"""Filter and DN escaping, AD bind sub-codes, the TLS settings and name sorting."""
from __future__ import annotations

import ssl

import pytest

from app.directory.ad_codes import ad_subcode, invalid_credentials_reason
from app.directory.connection import build_tls
from app.directory.entries import directory_id, norwegian_sort_key
from app.directory.escaping import (
    any_attribute_contains,
    any_attribute_equals,
    filter_value,
    has_filter_metacharacters,
    rdn_value,
    user_filter,
)
from app.directory.settings import DirectorySettings

AD_52E = "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563"


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("*", r"\2a"),
        ("(", r"\28"),
        (")", r"\29"),
        ("\\", r"\5c"),
        ("\x00", r"\00"),
        ("ida", "ida"),
        ("Åse Øvrebø", "Åse Øvrebø"),  # non-ASCII is sent as UTF-8, not escaped
        ("a*b(c)d\\e", r"a\2ab\28c\29d\5ce"),
    ],
)
def test_filter_value_escapes_every_metacharacter(typed, escaped):
    assert filter_value(typed) == escaped


def test_backslash_is_escaped_before_the_rest():
    # An escaped backslash must not combine with the next escape into something else.
    assert filter_value("\\2a") == r"\5c2a"


def test_user_filter_cannot_be_rewritten_by_the_username():
    template = "(&(objectClass=inetOrgPerson)(uid={username}))"
    assert user_filter(template, "*)(uid=*") == r"(&(objectClass=inetOrgPerson)(uid=\2a\29\28uid=\2a))"
    assert user_filter(template, "ida") == "(&(objectClass=inetOrgPerson)(uid=ida))"


def test_user_filter_keeps_other_braces():
    assert user_filter("(&(uid={username})(description={x}))", "ida") == "(&(uid=ida)(description={x}))"


def test_substring_clause_escapes_the_word():
    assert any_attribute_contains(["cn", "mail"], "a*") == r"(|(cn=*a\2a*)(mail=*a\2a*))"


def test_equality_clause_escapes_dns():
    clause = any_attribute_equals(["member"], ["cn=Test (Vikar),dc=x"])
    assert clause == r"(|(member=cn=Test \28Vikar\29,dc=x))"


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("ida", "ida"),
        ("a,b", r"a\,b"),
        ("a+b", r"a\+b"),
        ('a"b', r"a\"b"),
        ("a=b", r"a\=b"),
        ("a<b>;", r"a\<b\>\;"),
        (" ida", r"\ ida"),  # leading space
        ("#ida", r"\#ida"),  # leading hash
    ],
)
def test_rdn_value_escapes_dn_specials(typed, escaped):
    assert rdn_value(typed) == escaped


def test_metacharacter_detection():
    assert all(has_filter_metacharacters(c) for c in ["*", "(", ")", "\\", "\x00"])
    assert not has_filter_metacharacters("Åse Øvrebø-Hansen o'Neil")


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (AD_52E, "52e invalid credentials"),
        (AD_52E.replace("52e", "525"), "525 user not found"),
        ("... AcceptSecurityContext error, data 530, v2580", "530 not permitted to log on at this time"),
        ("... error, data 531, v2580", "531 not permitted to log on at this workstation"),
        ("... AcceptSecurityContext error, data 532, v2580", "532 password expired"),
        ("... AcceptSecurityContext error, data 533, v2580", "533 account disabled"),
        ("... AcceptSecurityContext error, data 701, v2580", "701 account expired"),
        ("... AcceptSecurityContext error, data 773, v2580", "773 password must be reset"),
        ("... AcceptSecurityContext error, data 775, v2580", "775 account locked"),
        ("... AcceptSecurityContext error, data 999, v2580", "999 unknown AD sub-code"),
        ("invalid credentials", "invalid credentials"),  # OpenLDAP: no sub-code
        ("", "invalid credentials"),
        (None, "invalid credentials"),
    ],
)
def test_ad_subcodes_become_readable_reasons(message, reason):
    assert invalid_credentials_reason(message) == reason


def test_ad_subcode_is_case_insensitive():
    assert ad_subcode("AcceptSecurityContext error, data 52E, v893") == "52e"
    assert ad_subcode("database 775 unrelated") is None


# --- TLS ------------------------------------------------------------------------------
def _settings(**values) -> DirectorySettings:
    return DirectorySettings.from_config({"LDAP_BASE_DN": "dc=x", **values})


def test_plain_ldap_has_no_tls_object():
    assert build_tls(_settings(LDAP_URL="ldap://ldap.kommune.no")) is None


def test_ldaps_and_starttls_require_a_valid_certificate(tmp_path):
    ca_file = tmp_path / "ca.crt"
    ca_file.write_text("not checked until a connection is made")
    for values in ({"LDAP_URL": "ldaps://ad.kommune.no"},
                   {"LDAP_URL": "ldap://ad.kommune.no", "LDAP_START_TLS": True}):
        tls = build_tls(_settings(**values, LDAP_CA_FILE=str(ca_file)))
        assert tls.validate == ssl.CERT_REQUIRED
        assert tls.ca_certs_file == str(ca_file)
        assert tls.sni == "ad.kommune.no"
    # Without LDAP_CA_FILE: the system's CA store (ldap3 loads the default certs).
    assert build_tls(_settings(LDAP_URL="ldaps://ad.kommune.no")).ca_certs_file is None


def test_insecure_tls_turns_validation_off():
    tls = build_tls(_settings(LDAP_URL="ldaps://10.0.0.5", LDAP_TLS_INSECURE=True))
    assert tls.validate == ssl.CERT_NONE
    assert tls.sni is None  # no SNI for an IP address


def test_the_tls_context_ldap3_builds_refuses_old_protocols():
    # build_tls leaves `version` unset, so ldap3 uses ssl.create_default_context();
    # this is what keeps TLS 1.0/1.1 out.
    assert build_tls(_settings(LDAP_URL="ldaps://x")).version is None
    assert ssl.create_default_context().minimum_version >= ssl.TLSVersion.TLSv1_2


# --- entries ------------------------------------------------------------------------
def test_object_guid_is_formatted_like_ad_does():
    raw = bytes.fromhex("6f2d6bd0d8b1c94a9d0c3fb0f9a0f8e1")
    entry = {"raw_attributes": {"objectGUID": [raw]}}
    assert directory_id(entry, "objectGUID") == "d06b2d6f-b1d8-4ac9-9d0c-3fb0f9a0f8e1"


def test_entry_uuid_is_read_as_text():
    entry = {"raw_attributes": {"entryuuid": [b"204B1808-7AAE-1041-9640-7F94ECBF3606"]}}
    assert directory_id(entry, "entryUUID") == "204b1808-7aae-1041-9640-7f94ecbf3606"
    assert directory_id({"raw_attributes": {"entryUUID": []}}, "entryUUID") is None


def test_names_sort_in_norwegian_order():
    names = ["Åse", "ola", "Ærlig", "Øystein", "Zara", "Anne"]
    assert sorted(names, key=norwegian_sort_key) == ["Anne", "ola", "Zara", "Ærlig", "Øystein", "Åse"]
