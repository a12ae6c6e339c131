"""README, "The directory": the OpenLDAP and Active Directory examples, typed as
`VAR=… make run` and pointed at the test slapd and the test Samba AD; and what a wrong
setting prints."""
from __future__ import annotations

import re

import pytest

from tests.directory.samba_server import PASSWORD as AD_PASSWORD
from tests.directory.samba_server import SERVICE_PASSWORD as AD_SERVICE_PASSWORD
from tests.directory.slapd_server import SERVICE_PASSWORD
from tests.readme.make_run_helpers import Browser, MakeRun, readme_block, readme_settings

pytestmark = pytest.mark.sqlite_only  # `make run` uses its own SQLite database

OPENLDAP = readme_block("### The directory", "LDAP_DIALECT=openldap")
ACTIVE_DIRECTORY = readme_block("### The directory", "LDAP_DIALECT=ad")


def test_the_openldap_example_serves_the_site_and_a_wrong_setting_stops_it(
        tmp_path, slapd, slapd_certificates):
    settings, command = readme_settings(OPENLDAP)
    assert command == "make run"
    assert settings["LDAP_START_TLS"] == "1" and settings["LDAP_BASE_DN"] == "dc=kommune,dc=no"
    # What differs between the README's kommune and the test server: where it is, the
    # password and the CA.
    settings.update(LDAP_URL=f"ldap://localhost:{slapd.port}",
                    LDAP_BIND_PASSWORD=SERVICE_PASSWORD,
                    LDAP_CA_FILE=str(slapd_certificates.ca_file))

    with MakeRun(settings, f"sqlite:///{tmp_path / 'ldap.db'}", tmp_path / "ldap.log") as site:
        assert "Faseport starter tomt, uten demodata" in site.output()
        browser = Browser(site.url)
        status, _html, _headers = browser.sign_in("per", "per-passord")
        assert status == 302, site.output()
        status, html, _headers = browser.get("/ikt")  # per's role through a nested group
        assert status == 200 and "Per Hansen" in html

    wrong = dict(settings, LDAP_CA_FILE=str(tmp_path / "finnes-ikke.pem"))
    run = MakeRun(wrong, f"sqlite:///{tmp_path / 'wrong.db'}", tmp_path / "wrong.log")
    assert run.run_to_end() != 0
    faseport_lines = [line for line in run.output().splitlines() if "Faseport" in line]
    assert faseport_lines == [
        f"Faseport kan ikke starte: LDAP_CA_FILE '{tmp_path / 'finnes-ikke.pem'}' does not exist"]
    assert "Traceback" not in run.output()


def test_the_active_directory_example_against_samba(tmp_path, samba, samba_tls):
    _address, certificates = samba_tls
    settings, command = readme_settings(ACTIVE_DIRECTORY)
    assert command == "make run"
    # The test domain is kommune.test instead of kommune.local; OUs and groups as written.
    settings = {name: value.replace("DC=kommune,DC=local", "DC=kommune,DC=test")
                for name, value in settings.items()}
    settings.update(LDAP_URL=samba.ldaps_url, LDAP_BIND_PASSWORD=AD_SERVICE_PASSWORD,
                    LDAP_CA_FILE=str(certificates.ca_file))

    with MakeRun(settings, f"sqlite:///{tmp_path / 'ad.db'}", tmp_path / "ad.log") as site:
        browser = Browser(site.url)
        status, _html, _headers = browser.sign_in("lise", AD_PASSWORD)
        assert status == 302, site.output()
        status, html, _headers = browser.get("/portfolio")  # lise: portefolje role
        assert status == 200 and "Porteføljen" in html
        # The owner group named in LDAP_ROLE_GROUPS as the README writes it: ase may own.
        ase = Browser(site.url)
        assert ase.sign_in("ase", AD_PASSWORD)[0] == 302
        status, html, _headers = ase.get("/profile")
        assert status == 200 and "Prosjekteier (gruppe)" in html
        status, html, _headers = Browser(site.url).sign_in("tor", AD_PASSWORD)  # disabled
        assert status == 401 and "Feil brukernavn eller passord." in html
        health = Browser(site.url).get("/healthz")
        assert health[0] == 200 and re.search(r'"directory":\s*"ok"', health[1])
