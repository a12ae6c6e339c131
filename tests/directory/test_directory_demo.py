"""The embedded demo directory (LDAP_URL=demo): the same client code over ldap3's MOCK_SYNC."""
from __future__ import annotations

import logging
import threading
import uuid

import pytest
from ldap3 import Connection

from app.directory import AuthenticationFailed, DirectoryUnavailable
from app.directory.client import Directory
from app.directory.demo import DEMO_BASE_DN, load_demo_entries
from app.directory.escaping import FILTER_METACHARACTERS
from app.directory.settings import DirectorySettings

#: the demo people other parts of Faseport (README, seed data, tests) rely on
KEY_PEOPLE = [
    # username, display name, unit, title, leader, roles
    ("ida", "Ida Berg", "Helse og omsorg", "Sykepleier", "ola", set()),
    ("ola", "Ola Nordmann", "Helse og omsorg", "Kommunalsjef helse og omsorg", "randi", set()),
    ("randi", "Randi Strand", "Rådmannens stab", "Kommunedirektør", None, set()),
    ("kari", "Kari Nordmann", "Rådmannens stab", "Rådgiver", "randi", set()),
    ("per", "Per Hansen", "IKT", "Systemkonsulent", "nils", {"ikt"}),  # through ikt-drift
    ("nils", "Nils Bakke", "IKT", "IKT-sjef", "randi", {"ikt"}),
    ("siri", "Siri Lie", "Rådmannens stab", "Personvernombud", "randi", {"personvern"}),
    ("lise", "Lise Johansen", "Rådmannens stab", "Digitaliseringsrådgiver", "randi", {"portefolje"}),
    ("admin", "Adam Berge", "IKT", "Systemforvalter Faseport", "nils", {"admin"}),
    ("ase", "Åse Øvrebø", "Oppvekst", "Rektor", "hilde", set()),
    ("tor", "Tor Eriksen", "Teknisk", "Kommunalsjef teknisk", "randi", set()),
    ("hilde", "Hilde Moe", "Oppvekst", "Kommunalsjef oppvekst", "randi", set()),
    ("geir", "Geir Solberg", "Økonomi", "Økonomisjef", "randi", set()),
    # a leader nobody reports to in the directory: may own projects through the owner group
    ("lars", "Lars Holm", "Teknisk", "Driftsleder bygg og eiendom", "tor", {"prosjekteier"}),
]


def demo_people() -> list[tuple[str, dict]]:
    return [(dn, raw) for dn, raw in load_demo_entries() if "inetOrgPerson" in raw["objectClass"]]


# --- sign-in ----------------------------------------------------------------------
def test_ida_signs_in_with_leader_and_unit(dir_demo):
    person = dir_demo.authenticate("ida", "demo")
    assert person.username == "ida"
    assert person.display_name == "Ida Berg"
    assert person.unit == "Helse og omsorg"
    assert person.title == "Sykepleier"
    assert person.email == "ida@demo.kommune.no"
    assert person.leader_username == "ola"
    assert person.roles == frozenset()
    assert uuid.UUID(person.directory_id)  # the fixed entryUUID of the demo data


@pytest.mark.parametrize(("username", "name", "unit", "title", "leader", "roles"), KEY_PEOPLE)
def test_key_demo_people(dir_demo, username, name, unit, title, leader, roles):
    person = dir_demo.authenticate(username, "demo")
    assert (person.username, person.display_name, person.unit, person.title) == (username, name, unit, title)
    assert person.leader_username == leader
    assert person.roles == roles


def test_the_id_is_stable_across_sign_ins(dir_demo, dir_make):
    first = dir_demo.authenticate("ola", "demo").directory_id
    assert dir_make(LDAP_URL="demo").authenticate("ola", "demo").directory_id == first


def test_username_is_trimmed_and_case_insensitive(dir_demo):
    assert dir_demo.authenticate("  IDA ", "demo").username == "ida"


@pytest.mark.parametrize(("username", "password", "reason"), [
    ("ida", "Demo", "invalid credentials"),
    ("ida", "demo ", "invalid credentials"),
    ("ola", "wrong", "invalid credentials"),
    ("nobody", "demo", "no such user"),
    ("*", "demo", "no such user"),
    ("i*", "demo", "no such user"),
    ("ida)(uid=*", "demo", "no such user"),
])
def test_wrong_credentials_fail(dir_demo, username, password, reason):
    with pytest.raises(AuthenticationFailed) as failure:
        dir_demo.authenticate(username, password)
    assert failure.value.reason == reason


def test_the_service_account_cannot_sign_in_as_a_person(dir_demo):
    with pytest.raises(AuthenticationFailed):
        dir_demo.authenticate("faseport-service", "demo-service")


@pytest.mark.parametrize(("username", "password"), [
    ("", "demo"), ("   ", "demo"), ("\t\n", "demo"), ("ida", ""), ("", ""), (None, "demo"), ("ida", None),
])
def test_empty_username_or_password_is_refused_without_any_bind(dir_demo, monkeypatch, username, password):
    calls = []
    real_init, real_bind = Connection.__init__, Connection.bind

    def spy_init(self, *args, **kwargs):
        calls.append("connection")
        real_init(self, *args, **kwargs)

    def spy_bind(self, *args, **kwargs):
        calls.append("bind")
        return real_bind(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "__init__", spy_init)
    monkeypatch.setattr(Connection, "bind", spy_bind)

    with pytest.raises(AuthenticationFailed) as failure:
        dir_demo.authenticate(username, password)

    assert failure.value.reason == "empty username/password"
    assert calls == []
    # The spy does see binds: a real sign-in goes through it (so the test can fail).
    dir_demo.authenticate("ida", "demo")
    assert calls.count("bind") == 2 and "connection" in calls  # service account, then ida


def test_the_password_is_never_logged(dir_make, caplog):
    caplog.set_level(logging.DEBUG)
    directory = dir_make(LDAP_URL="demo")
    directory.authenticate("ida", "demo")
    for password in ("Sommer2024!", "hemmelig-passord"):
        with pytest.raises(AuthenticationFailed):
            directory.authenticate("ida", password)
        assert password not in caplog.text


# --- people search ------------------------------------------------------------------
@pytest.mark.parametrize("query", ["øvre", "ØVRE", "åse", "Åse Øvre", "ase@demo", "Øvrebø"])
def test_search_finds_ase_with_norwegian_letters(dir_demo, query):
    assert [p.username for p in dir_demo.search_people(query)] == ["ase"]


def test_every_word_must_match(dir_demo):
    assert [p.username for p in dir_demo.search_people("berg")] == ["admin", "geir", "ida", "kristian"]
    assert [p.username for p in dir_demo.search_people("berg ida")] == ["ida"]
    assert [p.username for p in dir_demo.search_people("ida berg")] == ["ida"]
    assert dir_demo.search_people("ida hansen") == []


def test_search_returns_at_most_the_limit_sorted_by_name(dir_demo):
    everyone = dir_demo.search_people("demo.kommune", limit=100)
    assert len(everyone) == 30
    first_20 = dir_demo.search_people("demo.kommune")
    assert len(first_20) == 20
    names = [p.display_name for p in first_20]
    assert names == sorted(names, key=lambda n: n.casefold())  # no Æ/Ø/Å initials among them
    assert len(dir_demo.search_people("demo.kommune", limit=3)) == 3
    assert dir_demo.search_people("demo.kommune", limit=0) == []


def test_norwegian_initials_sort_last(dir_demo):
    names = [p.display_name for p in dir_demo.search_people("demo.kommune", limit=100)]
    assert names[-1] == "Åse Øvrebø"


def test_search_results_carry_leader_but_not_roles(dir_demo):
    (per,) = dir_demo.search_people("per hansen")
    assert per.leader_username == "nils" and per.unit == "IKT"
    assert per.roles == frozenset()


@pytest.mark.parametrize("query", ["", " ", "a", " å "])
def test_short_queries_give_nothing(dir_demo, query):
    assert dir_demo.search_people(query) == []


@pytest.mark.parametrize("query", ["**", "*a*", "a*", "(a", "a)", "\\2a", "ida*"])
def test_filter_metacharacters_are_not_wildcards(dir_demo, query):
    # "**" as a wildcard would match all 30 people, "a*" everyone with an a.
    assert dir_demo.search_people(query) == []


def test_demo_data_contains_no_filter_metacharacters():
    # The demo client refuses input with filter metacharacters (ldap3's mock would lose
    # their escaping); that is only correct because no demo value could match them.
    for dn, raw in load_demo_entries():
        for name, values in raw.items():
            for value in values:
                assert not set(value) & FILTER_METACHARACTERS, (dn, name, value)


# --- look-ups -------------------------------------------------------------------------
def test_find_person(dir_demo):
    ola = dir_demo.find_person("ola")
    assert ola.display_name == "Ola Nordmann" and ola.leader_username == "randi"
    assert dir_demo.find_person("per").roles == {"ikt"}
    assert dir_demo.find_person("nobody") is None
    assert dir_demo.find_person("*") is None
    assert dir_demo.find_person("") is None


def test_ping(dir_demo):
    assert dir_demo.ping() is True


def test_concurrent_sign_ins_share_the_demo_data(dir_make):
    directory = dir_make(LDAP_URL="demo")
    errors: list[BaseException] = []

    def sign_in(username: str) -> None:
        try:
            for _ in range(5):
                assert directory.authenticate(username, "demo").username == username
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=sign_in, args=(u,)) for u in ("ida", "per", "ola", "siri", "ase")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []


def test_role_groups_from_settings_are_used(dir_make):
    directory = dir_make(
        LDAP_URL="demo",
        LDAP_ROLE_GROUPS={"portefolje": "CN=Faseport-IKT, OU=Groups, DC=demo, DC=kommune, DC=no"},
    )
    assert directory.authenticate("per", "demo").roles == {"portefolje"}
    assert directory.authenticate("siri", "demo").roles == frozenset()


def test_a_wrong_demo_service_password_is_an_outage(dir_make):
    directory = dir_make(
        LDAP_URL="demo",
        LDAP_BIND_DN="cn=faseport-service,ou=system,dc=demo,dc=kommune,dc=no",
        LDAP_BIND_PASSWORD="wrong",
    )
    with pytest.raises(DirectoryUnavailable):
        directory.authenticate("ida", "demo")
    assert directory.ping() is False


# --- the demo data itself ---------------------------------------------------------
def test_demo_data_is_consistent():
    people = demo_people()
    assert len(people) == 30
    dns = {dn.lower() for dn, _raw in load_demo_entries()}
    uids = [raw["uid"][0] for _dn, raw in people]
    uuids = [raw["entryUUID"][0] for _dn, raw in people]
    assert len(set(uids)) == len(uids) and len(set(uuids)) == len(uuids)
    units = {raw["department"][0] for _dn, raw in people}
    assert units == {"Helse og omsorg", "Oppvekst", "Teknisk", "IKT", "Økonomi", "Rådmannens stab"}
    for dn, raw in people:
        assert raw["userPassword"] == ["demo"]
        assert raw["mail"] == [f"{raw['uid'][0]}@demo.kommune.no"]
        assert dn.endswith(DEMO_BASE_DN)
        for leader in raw.get("manager", []):
            assert leader.lower() in dns, (dn, leader)
        for group in raw.get("memberOf", []):
            assert group.lower() in dns, (dn, group)
    # Everyone except the chief executive has a leader.
    assert [raw["uid"][0] for _dn, raw in people if "manager" not in raw] == ["randi"]


def test_member_of_matches_the_groups_member_lists():
    entries = dict(load_demo_entries())
    for group_dn, raw in entries.items():
        if "groupOfNames" not in raw["objectClass"]:
            continue
        for member in raw["member"]:
            assert group_dn in entries[member].get("memberOf", []), (group_dn, member)


def test_demo_settings_come_from_the_flask_style_config():
    settings = DirectorySettings.from_config({"LDAP_URL": "demo", "LDAP_ROLE_GROUPS": {}})
    directory = Directory(settings)
    assert directory.authenticate("admin", "demo").roles == {"admin"}
