"""The whole site against a real slapd: outages, failover, the sync of leavers and
movers, and roles taken away in the directory."""
from __future__ import annotations

import re

import pytest
from ldap3 import MODIFY_ADD, MODIFY_DELETE

from app.api.tokens import create_token
from app.extensions import db as _db
from app.models import AuditEvent, Notification, Project, User, UserSession
from app.notifications.services import notify
from tests.auth.helpers import sign_in, signed_in_name
from tests.directory.conftest import build_directory, slapd_config
from tests.directory.slapd_server import SUFFIX, free_port

PEOPLE = f"ou=people,{SUFFIX}"


@pytest.fixture()
def use_directory(app, monkeypatch):
    """Point the running app at a directory built from LDAP_* settings."""
    def use(config: dict):
        directory = build_directory(config)
        monkeypatch.setitem(app.extensions, "faseport_directory", directory)
        return directory
    return use


def run_cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


# --- a directory that goes down mid-run and comes back ----------------------------
def test_the_site_keeps_running_through_a_directory_outage(app, client, db, slapd_private,
                                                           use_directory):
    use_directory(slapd_config(slapd_private, LDAP_TIMEOUT=1))
    assert sign_in(client, "ida", "ida-passord").status_code == 302
    assert client.get("/healthz").status_code == 200

    slapd_private.stop()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["directory"] == "unavailable"
    assert health.get_json()["directory_servers"] == {
        f"ldap://127.0.0.1:{slapd_private.port}": "unavailable"}
    # Ida's open session goes on: pages that need no directory still work.
    assert "Ida Berg" in signed_in_name(client)
    other = app.test_client()
    refused = sign_in(other, "per", "per-passord")
    assert refused.status_code == 503
    assert "får ikke kontakt med brukerkatalogen" in refused.get_data(as_text=True)

    slapd_private.start()  # nobody restarts Faseport
    assert client.get("/healthz").status_code == 200
    assert sign_in(other, "per", "per-passord").status_code == 302


def test_two_controllers_the_first_down_the_second_answers(app, client, db, slapd, slapd_private,
                                                           use_directory):
    first, second = slapd_private, slapd
    use_directory(slapd_config(second, LDAP_URL=f"{first.url}, {second.url}", LDAP_TIMEOUT=2))
    assert sign_in(client, "ida", "ida-passord").status_code == 302
    first.stop()

    other = app.test_client()
    assert sign_in(other, "per", "per-passord").status_code == 302
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["directory_servers"] == {
        f"ldap://127.0.0.1:{first.port}": "unavailable",
        f"ldap://127.0.0.1:{second.port}": "ok",
    }


def test_a_dead_first_url_in_a_space_separated_list(app, client, db, slapd, use_directory):
    dead = f"ldap://127.0.0.1:{free_port()}"
    use_directory(slapd_config(slapd, LDAP_URL=f"{dead} {slapd.url}", LDAP_TIMEOUT=2))
    assert sign_in(client, "siri", "siri-passord").status_code == 302


# --- flask directory sync -----------------------------------------------------------
def test_sync_creates_everyone_and_follows_leavers(app, client, db, slapd_private, use_directory):
    use_directory(slapd_config(slapd_private))
    result = run_cli(app, "directory", "sync")
    assert result.exit_code == 0, result.output
    users = {u.username: u for u in _db.session.scalars(_db.select(User))}
    # Staff who never signed in are there, with leader, unit and roles.
    assert {"ida", "ola", "randi", "per", "siri", "ase"} <= set(users)
    assert users["ida"].leader_username == "ola"
    assert users["per"].roles == {"ikt"}
    assert users["siri"].roles == {"personvern"}

    # Ola owns a project with Kari... no: with per as manager; ida's sign-in opens a session.
    project = Project(title="Digital tilsynsordning", stage="planning", unit="Helse og omsorg",
                      submitted_by=users["ida"], owner=users["ola"], manager=users["per"])
    _db.session.add(project)
    _db.session.commit()
    assert sign_in(client, "ola", "ola-passord").status_code == 302

    # Ola leaves the kommune: his entry is deleted from the directory.
    root = slapd_private.root()
    root.delete(f"uid=ola,{PEOPLE}")
    root.unbind()
    result = run_cli(app, "directory", "sync")
    assert result.exit_code == 0, result.output
    assert "1 sluttet" in result.output and "sluttet: ola" in result.output

    ola = _db.session.scalar(_db.select(User).where(User.username == "ola"))
    _db.session.refresh(ola)
    assert ola.active is False and ola.left_at is not None
    # His open session ended, and he cannot sign in again.
    assert _db.session.scalar(_db.select(UserSession).where(UserSession.user_id == ola.id)) is None
    assert signed_in_name(client) is None
    assert sign_in(app.test_client(), "ola", "ola-passord").status_code == 401

    # The project says so, shows him as "(sluttet)", and his notifications go to his leader.
    ida = app.test_client()
    assert sign_in(ida, "ida", "ida-passord").status_code == 302
    page = ida.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Ola Nordmann (sluttet)" in page
    assert "Prosjekteieren Ola Nordmann har sluttet i kommunen." in page
    assert re.search(r"Varsler om prosjektet går til Randi[^<]*\(leder for prosjekteieren\)", page)
    # So do the Roles tab and the styringsdokument's draft.
    assert "Ola Nordmann (sluttet)" in ida.get(f"/projects/{project.id}/roles").get_data(as_text=True)
    assert "Ola Nordmann (sluttet)" in ida.get(f"/projects/{project.id}/plan/styringsdokument").get_data(as_text=True)

    notify(ola, "test", "Ida ber deg godkjenne BP3", f"/projects/{project.id}", project=project)
    _db.session.commit()
    note = _db.session.scalars(_db.select(Notification)).one()
    assert note.user.username == "randi"
    assert note.text.startswith("For Ola Nordmann, som har sluttet:")


def test_leavers_are_listed_for_the_portfolio_role_and_cannot_be_chosen(
        app, client, db, slapd_private, use_directory):
    use_directory(slapd_config(slapd_private, LDAP_ROLE_GROUPS={
        "portefolje": f"cn=faseport-personvern,ou=groups,{SUFFIX}"}))
    assert run_cli(app, "directory", "sync").exit_code == 0
    users = {u.username: u for u in _db.session.scalars(_db.select(User))}
    project = Project(title="Ny turnusløsning", stage="concept", unit="Helse og omsorg",
                      submitted_by=users["ida"], owner=users["ola"], manager=users["ase"])
    _db.session.add(project)
    _db.session.commit()
    root = slapd_private.root()
    root.delete(f"uid=ase,{PEOPLE}")
    root.unbind()
    result = run_cli(app, "directory", "sync")
    assert result.exit_code == 0
    assert "1 prosjekter mistet eier eller leder; porteføljestyringen er varslet." in result.output
    told = _db.session.scalars(_db.select(Notification).where(Notification.kind == "leader_left")).all()
    assert [(n.user.username, n.project_id) for n in told] == [("siri", project.id)]

    siri = app.test_client()  # siri holds portefolje in this configuration
    assert sign_in(siri, "siri", "siri-passord").status_code == 302
    assert "1 prosjekt har en eier eller leder som har sluttet" in siri.get("/portfolio").get_data(as_text=True)
    listing = siri.get("/portfolio/leavers").get_data(as_text=True)
    assert "Ny turnusløsning" in listing and "Åse Øvrebø (sluttet)" in listing
    ida = app.test_client()
    assert sign_in(ida, "ida", "ida-passord").status_code == 302
    assert ida.get("/portfolio/leavers").status_code == 403

    # Nobody can make Åse manager of anything again.
    from app.people.resolve import PersonNotResolved, resolve_person
    with pytest.raises(PersonNotResolved, match="har sluttet og kan ikke få en rolle"):
        resolve_person("ase")
    from app.people.search import find_people
    assert "ase" not in [p.username for p in find_people("Øvrebø").people]  # not offered either


def test_a_role_removed_in_the_directory_is_gone_for_sessions_and_tokens(
        app, client, db, slapd_private, use_directory):
    use_directory(slapd_config(slapd_private, LDAP_ROLE_GROUPS={
        "ikt": f"cn=faseport-ikt,ou=groups,{SUFFIX}",
        "portefolje": f"cn=faseport-personvern,ou=groups,{SUFFIX}"}))
    assert sign_in(client, "per", "per-passord").status_code == 302
    assert client.get("/ikt").status_code == 200

    siri_client = app.test_client()
    assert sign_in(siri_client, "siri", "siri-passord").status_code == 302
    users = {u.username: u for u in _db.session.scalars(_db.select(User))}
    secret = Project(title="Skjermet varslingssak", stage="concept", unit="Rådmannens stab",
                     submitted_by=users["per"], owner=users["per"], restricted=True)
    _db.session.add(secret)
    _db.session.flush()
    _token, plaintext = create_token(users["siri"], "Power BI")
    _db.session.commit()
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {plaintext}"}
    assert api.get(f"/api/v1/projects/{secret.id}", headers=bearer).status_code == 200

    root = slapd_private.root()
    root.modify(f"cn=ikt-drift,ou=groups,{SUFFIX}",
                {"member": [(MODIFY_DELETE, [f"uid=per,{PEOPLE}"])]})
    # (groupOfNames needs a member: Åse comes in as Siri goes out)
    assert root.modify(f"cn=faseport-personvern,ou=groups,{SUFFIX}",
                       {"member": [(MODIFY_ADD, [f"uid=ase,{PEOPLE}"]),
                                   (MODIFY_DELETE, [f"uid=siri,{PEOPLE}"])]}), root.result
    root.unbind()
    result = run_cli(app, "directory", "sync")
    assert result.exit_code == 0, result.output
    changed = {event.data["username"]: (event.data["before"], event.data["after"])
               for event in _db.session.scalars(
                   _db.select(AuditEvent).where(AuditEvent.action == "user.roles_changed"))}
    assert changed == {"per": (["ikt"], []), "siri": (["portefolje"], [])}
    ase = _db.session.scalar(_db.select(User).where(User.username == "ase"))
    assert ase.roles == {"portefolje"}  # never signed in: created by the sync, with her role

    # At once: no new sign-in needed for the open session or the token.
    assert client.get("/ikt").status_code == 403
    assert api.get(f"/api/v1/projects/{secret.id}", headers=bearer).status_code == 404


def test_sync_refuses_when_the_directory_looks_empty(app, db, slapd, use_directory):
    use_directory(slapd_config(slapd))
    assert run_cli(app, "directory", "sync").exit_code == 0
    use_directory(slapd_config(slapd, LDAP_BASE_DN=f"ou=external,{SUFFIX}",
                               LDAP_USER_FILTER="(&(objectClass=inetOrgPerson)(uid={username})(uid=nobody))"))
    result = run_cli(app, "directory", "sync")
    assert result.exit_code == 1
    assert "ingenting er endret" in result.output
    assert _db.session.scalar(_db.select(_db.func.count(User.id)).where(User.active.is_(False))) == 0


def test_sync_with_the_directory_down_changes_nothing(app, db, slapd_private, use_directory):
    use_directory(slapd_config(slapd_private, LDAP_TIMEOUT=1))
    assert run_cli(app, "directory", "sync").exit_code == 0
    slapd_private.stop()
    result = run_cli(app, "directory", "sync")
    assert result.exit_code == 1 and "Katalogen svarer ikke; ingenting er endret" in result.output
    assert _db.session.scalar(_db.select(_db.func.count(User.id)).where(User.active.is_(False))) == 0


# --- flask directory check and flask demo load ------------------------------------------
def test_directory_check_names_the_step_that_fails(app, slapd, slapd_certificates, use_directory):
    use_directory(slapd_config(slapd))
    good = run_cli(app, "directory", "check", "per")
    assert good.exit_code == 0, good.output
    assert "[OK]   Søket etter «per» fant 1 person: uid=per,ou=people,dc=kommune,dc=no." in good.output
    assert "[INFO] Roller i Faseport: ikt." in good.output
    assert "[OK]   Leder (manager): nils" in good.output
    assert good.output.rstrip().endswith("Alt virker.")

    cases = [
        ({"LDAP_BIND_PASSWORD": "feil"}, None, "Tjenestekontoen cn=faseport-service"),
        ({}, "finnesikke", "Søket etter «finnesikke» fant ingen"),
        ({"LDAP_URL": f"ldap://127.0.0.1:{free_port()}"}, None, "tilkoblingen ble avvist"),
        ({"LDAP_START_TLS": True, "LDAP_CA_FILE": str(slapd_certificates.other_ca_file)}, None,
         "TLS (StartTLS) mot ldap://127.0.0.1"),
        ({"LDAP_ROLE_GROUPS": {"ikt": f"cn=finnes-ikke,ou=groups,{SUFFIX}"}}, None,
         "Rollegruppen for «ikt» finnes ikke"),
    ]
    for overrides, username, expected in cases:
        use_directory(slapd_config(slapd, **overrides))
        result = run_cli(app, "directory", "check", *([username] if username else []))
        assert result.exit_code == 1, (overrides, result.output)
        assert expected in result.output and "[FEIL]" in result.output, (overrides, result.output)


def test_demo_data_loads_only_with_the_demo_directory(app, db, slapd, use_directory):
    use_directory(slapd_config(slapd))
    refused = app.test_cli_runner().invoke(args=["demo", "load"])
    assert refused.exit_code == 1
    assert "Demodata kan bare lastes med den innebygde demokatalogen (LDAP_URL=demo)" in refused.output
    started = run_cli(app, "demo", "load", "--only-with-demo-directory")
    assert started.exit_code == 0
    assert "Faseport starter tomt, uten demodata" in started.output
    assert _db.session.scalar(_db.select(_db.func.count(Project.id))) == 0
