"""The directory client against a real Active Directory: Samba's AD domain controller.

What only a real AD shows: objectGUID in Microsoft's byte order, nested groups through
LDAP_MATCHING_RULE_IN_CHAIN, userAccountControl's disabled bit, the UPN bind, and the
sub-codes (52e, 533, 775) in AD's diagnostic messages.
"""
from __future__ import annotations

import logging
import uuid

import pytest
from ldap3 import BASE

from app.directory import AuthenticationFailed
from app.directory.diagnose import check
from tests.directory.conftest import build_directory, samba_config
from tests.directory.samba_server import ADMIN_UPN, PASSWORD


@pytest.fixture()
def ad(samba):
    """Search-then-bind with the service account over plain ldap://."""
    return build_directory(samba_config(samba))


def _guid(samba, username: str) -> str:
    connection = samba.admin()
    try:
        connection.search("DC=kommune,DC=test", f"(sAMAccountName={username})",
                          attributes=["objectGUID"])
        return str(uuid.UUID(bytes_le=connection.entries[0].objectGUID.raw_values[0]))
    finally:
        connection.unbind()


def test_sign_in_reads_name_unit_title_leader_and_the_guid(ad, samba):
    person = ad.authenticate("ida", PASSWORD)

    assert person.username == "ida"
    assert person.display_name == "Ida Berg"
    assert person.unit == "Helse og omsorg"
    assert person.title == "sykepleier"
    assert person.email == "ida@kommune.test"
    assert person.leader_username == "ola"
    # The key is objectGUID as AD's own tools print it (mixed-endian bytes_le).
    assert person.directory_id == _guid(samba, "ida")
    assert person.roles == frozenset()


def test_a_role_through_a_nested_group_and_non_ascii_names(ad):
    # per is in IKT-drift, which is a member of IKT-avdelingen (the ikt role group).
    assert ad.authenticate("per", PASSWORD).roles == {"ikt"}
    assert ad.authenticate("lise", PASSWORD).roles == {"portefolje"}
    ase = ad.authenticate("ase", PASSWORD)
    assert ase.display_name == "Åse Øvrebø"
    assert [p.username for p in ad.search_people("øvre")] == ["ase"]


def test_a_disabled_account_is_refused_with_the_right_password(ad, samba):
    with pytest.raises(AuthenticationFailed):
        ad.authenticate("tor", PASSWORD)
    assert "tor" not in [p.username for p in ad.search_people("Slutter")]
    assert ad.find_person("tor") is None


def test_upn_bind_without_a_service_account(samba):
    direct = build_directory(samba_config(samba, LDAP_BIND_DN="", LDAP_BIND_PASSWORD="",
                                          LDAP_UPN_SUFFIX="kommune.test"))
    person = direct.authenticate("per", PASSWORD)
    assert person.username == "per"
    assert person.roles == {"ikt"}
    assert person.leader_username == "randi"
    with pytest.raises(AuthenticationFailed):
        direct.authenticate("per", "feil-passord")


def test_ad_sub_codes_reach_the_log(samba, caplog):
    log = logging.getLogger("tests.directory.samba.codes")
    direct = build_directory(samba_config(samba, LDAP_BIND_DN="", LDAP_BIND_PASSWORD="",
                                          LDAP_UPN_SUFFIX="kommune.test"), logger=log)

    with pytest.raises(AuthenticationFailed) as wrong:
        direct.authenticate("ida", "feil-passord")
    assert wrong.value.reason == "52e invalid credentials"

    with pytest.raises(AuthenticationFailed) as disabled:
        direct.authenticate("tor", PASSWORD)
    assert disabled.value.reason == "533 account disabled"

    for _attempt in range(3):  # the test domain locks an account after 3 wrong passwords
        with pytest.raises(AuthenticationFailed):
            direct.authenticate("laast", "feil-passord")
    with pytest.raises(AuthenticationFailed) as locked:
        direct.authenticate("laast", PASSWORD)
    assert locked.value.reason == "775 account locked"


def test_ldaps_with_the_test_ca_and_refused_with_another(samba, samba_tls):
    _address, certificates = samba_tls
    secure = build_directory(samba_config(samba, LDAP_URL=samba.ldaps_url,
                                          LDAP_CA_FILE=str(certificates.ca_file)))
    assert secure.authenticate("ola", PASSWORD).leader_username == "randi"

    wrong_ca = build_directory(samba_config(samba, LDAP_URL=samba.ldaps_url,
                                            LDAP_CA_FILE=str(certificates.other_ca_file)))
    steps = check(wrong_ca)
    assert any(step.ok is False and "TLS (ldaps)" in step.text and "sertifikatet" in step.text
               for step in steps), [step.line() for step in steps]


def test_directory_check_walks_every_step(ad):
    lines = [step.line() for step in check(ad, "per")]
    text = "\n".join(lines)
    assert "[FEIL]" not in text, text
    assert "[OK]   Tjenestekontoen CN=svc-faseport" in text
    assert "[OK]   Søket etter «per» fant 1 person: CN=per,OU=IKT,OU=Ansatte" in text
    assert "CN=IKT-drift,OU=Grupper" in text and "CN=IKT-avdelingen,OU=Grupper" in text
    assert "[INFO] Roller i Faseport: ikt." in text
    assert "[OK]   Leder (manager): randi" in text
    assert "objectGUID:" in text


def test_everyone_is_listed_with_leaders_and_roles(ad):
    people = {person.username: person for person in ad.all_people()}
    # the disabled account is left out, like at sign-in
    assert set(people) == {"randi", "ola", "ida", "kari", "per", "lise", "ase", "laast"}
    assert people["ida"].leader_username == "ola"
    assert people["per"].roles == {"ikt"}
    assert people["lise"].roles == {"portefolje"}


def test_the_group_search_is_one_in_chain_query(samba):
    """Sanity of the test domain itself: per is only indirectly in IKT-avdelingen."""
    connection = samba.admin()
    try:
        connection.search("CN=per,OU=IKT,OU=Ansatte,DC=kommune,DC=test", "(objectClass=*)",
                          BASE, attributes=["memberOf"])
        direct = [str(v) for v in connection.entries[0].memberOf.values]
    finally:
        connection.unbind()
    assert direct == ["CN=IKT-drift,OU=Grupper,DC=kommune,DC=test"]
    assert ADMIN_UPN.endswith("kommune.test")
