"""The site against a real Active Directory (Samba): movers keep their history, people
disabled in AD become inactive at the next sync."""
from __future__ import annotations

import pytest
from ldap3 import MODIFY_REPLACE

from app.extensions import db as _db
from app.models import Project, User
from tests.auth.helpers import sign_in, signed_in_name
from tests.directory.conftest import build_directory, samba_config
from tests.directory.samba_server import PASSWORD

ANSATTE = "OU=Ansatte,DC=kommune,DC=test"


@pytest.fixture()
def on_samba(app, monkeypatch, samba_private):
    monkeypatch.setitem(app.extensions, "faseport_directory",
                        build_directory(samba_config(samba_private)))
    return samba_private


def test_a_person_renamed_and_moved_to_another_ou_keeps_their_history(app, client, db, on_samba):
    assert sign_in(client, "kari", PASSWORD).status_code == 302
    kari = _db.session.scalar(_db.select(User).where(User.username == "kari"))
    project = Project(title="Digital postgang", stage="idea", unit="Rådmannens stab",
                      submitted_by=kari, owner=kari)
    _db.session.add(project)
    _db.session.commit()
    kari_id, guid = kari.id, kari.directory_id

    admin = on_samba.admin()
    try:  # she marries and moves to Helse og omsorg: new account name, new OU
        assert admin.modify(f"CN=kari,OU=Stab,{ANSATTE}", {
            "sAMAccountName": [(MODIFY_REPLACE, ["kari.berg"])],
            "displayName": [(MODIFY_REPLACE, ["Kari Berg"])],
            "department": [(MODIFY_REPLACE, ["Helse og omsorg"])],
        }), admin.result
        assert admin.modify_dn(f"CN=kari,OU=Stab,{ANSATTE}", "CN=kari",
                               new_superior=f"OU=Helse,{ANSATTE}"), admin.result
    finally:
        admin.unbind()

    again = app.test_client()
    assert sign_in(again, "kari.berg", PASSWORD).status_code == 302
    assert "Kari Berg" in signed_in_name(again)
    _db.session.expire_all()
    moved = _db.session.get(User, kari_id)
    assert (moved.username, moved.directory_id, moved.unit) == ("kari.berg", guid, "Helse og omsorg")
    assert _db.session.scalar(_db.select(_db.func.count(User.id))) == 1
    assert _db.session.get(Project, project.id).owner_id == kari_id
    assert "Kari Berg" in again.get(f"/projects/{project.id}").get_data(as_text=True)


def test_someone_disabled_in_ad_becomes_inactive_at_the_sync(app, client, db, on_samba):
    assert sign_in(client, "ase", PASSWORD).status_code == 302
    result = app.test_cli_runner().invoke(args=["directory", "sync"])
    assert result.exit_code == 0, result.output
    usernames = set(_db.session.scalars(_db.select(User.username)))
    assert {"randi", "ola", "ida", "per", "lise", "ase"} <= usernames and "tor" not in usernames

    admin = on_samba.admin()
    try:  # userAccountControl 514 = normal account + ACCOUNTDISABLE
        assert admin.modify(f"CN=ase,OU=Helse,{ANSATTE}",
                            {"userAccountControl": [(MODIFY_REPLACE, ["514"])]}), admin.result
    finally:
        admin.unbind()
    result = app.test_cli_runner().invoke(args=["directory", "sync"])
    assert result.exit_code == 0 and "sluttet: ase" in result.output, result.output

    ase = _db.session.scalar(_db.select(User).where(User.username == "ase"))
    _db.session.refresh(ase)
    assert ase.active is False
    assert signed_in_name(client) is None  # her session ended
    assert sign_in(app.test_client(), "ase", PASSWORD).status_code == 401
