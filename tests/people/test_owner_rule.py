"""Who may own a project, proved on every path that sets or changes an owner.

A prosjekteier is a leader: someone another person's directory entry names as `manager`,
a member of the owner group (LDAP_ROLE_GROUPS "prosjekteier"), or someone an administrator
has granted the role. In the `users` fixture ola (ida's leader) and randi (ola's and kari's)
are leaders; ida, kari, per, siri, lise and admin are not.
"""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import AuditEvent, OwnerGrant, Project, User
from tests.gates.flow import (decide, fresh, gate_url, idea_with_pending_bp1, make_project,
                              requests_of)
from tests.support.factories import make_user, post_form

NEED = "Hjemmetjenesten bruker for mye tid på å skrive ut og levere papirlister hver morgen."


@pytest.fixture()
def people(users):
    """The cast plus lars (in the owner group) and hans (granted by an administrator)."""
    lars = make_user("lars", display_name="Lars Holm", unit="Teknisk", roles={"prosjekteier"})
    hans = make_user("hans", display_name="Hans Lunde", unit="Rådmannens stab")
    db.session.add(OwnerGrant(user_id=hans.id, note="Fungerende leder", granted_by=users["admin"]))
    db.session.commit()
    return {**users, "lars": lars, "hans": hans}


@pytest.mark.parametrize("username, eligible", [
    ("ola", True), ("randi", True),          # leaders: someone reports to them
    ("lars", True),                          # the owner group
    ("hans", True),                          # granted by an administrator
    ("ida", False), ("kari", False), ("per", False), ("siri", False), ("lise", False),
    ("admin", False),                        # administrators hand the role on, never own by right
])
def test_who_may_own_projects(people, username, eligible):
    user = fresh(User, people[username].id)
    assert user.can_own_projects() is eligible
    # The SQL form (used by the picker) says the same.
    in_sql = db.session.scalar(db.select(db.func.count(User.id)).where(
        User.id == user.id, User.may_own_projects()))
    assert bool(in_sql) is eligible


# --- every path that sets or changes an owner --------------------------------------------
def _idea(username, action):
    return {"action": action, "title": "Digitale arbeidslister", "need": NEED, "unit": "Helse og omsorg",
            "owner_username": username, "personal_data": "no", "needs_ikt": "no"}


def via_new_idea(as_user, people, username):
    response = post_form(as_user("ida"), "/ideas/new", _idea(username, "submit"), page="/ideas/new")
    project = db.session.scalar(db.select(Project))
    return response, project


def via_new_draft(as_user, people, username):
    response = post_form(as_user("ida"), "/ideas/new", _idea(username, "draft"), page="/ideas/new")
    return response, db.session.scalar(db.select(Project))


def via_draft_edit(as_user, people, username):
    draft = make_project(people, stage="draft")
    response = post_form(as_user("ida"), f"/ideas/{draft.id}/edit", _idea(username, "submit"),
                         page=f"/ideas/{draft.id}/edit")
    return response, draft


def via_roles_tab(as_user, people, username):
    project = make_project(people, stage="concept", manager="kari")
    response = post_form(as_user("ola"), f"/projects/{project.id}/roles/owner",
                         {"owner_username": username, "owner_version": str(project.version)},
                         page=f"/projects/{project.id}/roles")
    return response, project


def via_overview_hand_over(as_user, people, username):
    project = make_project(people)
    response = post_form(as_user("admin"), f"/projects/{project.id}/owner", {"owner_username": username},
                         page=f"/projects/{project.id}")
    return response, project


def via_api(as_user, people, username):
    """The API only reads: no method on it sets an owner."""
    project = make_project(people)
    client = as_user("admin")
    responses = [getattr(client, method)(f"/api/v1/projects/{project.id}", json={"owner": username})
                 for method in ("post", "put", "patch")]
    assert {r.status_code for r in responses} <= {400, 405}
    return (responses[0] if username == "ida" else None), project


PATHS = [via_new_idea, via_new_draft, via_draft_edit, via_roles_tab, via_overview_hand_over]


@pytest.mark.parametrize("path", PATHS + [via_api], ids=lambda p: p.__name__)
@pytest.mark.parametrize("username", ["ida", "kari", "siri", "admin"])
def test_no_one_who_may_not_own_becomes_owner(as_user, people, path, username):
    before = {p.id: p.owner_id for p in db.session.scalars(db.select(Project))}
    response, project = path(as_user, people, username)

    if response is not None:
        assert response.status_code in (400, 405, 422), response.status_code
    db.session.expire_all()
    owners = {p.id: p.owner_id for p in db.session.scalars(db.select(Project))}
    assert people[username].id not in owners.values() or before.get(project.id) == people[username].id
    if path is not via_api and response.status_code == 422:
        html = response.get_data(as_text=True)
        name = people[username].display_name
        assert f"{name} kan ikke være prosjekteier." in html or "samme person" in html
        assert "Prosjekteier må være en leder med personalansvar" in html or "samme person" in html


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.__name__)
@pytest.mark.parametrize("username", ["randi", "lars", "hans"])
def test_a_leader_the_owner_group_or_a_grant_may_own(as_user, people, path, username):
    response, project = path(as_user, people, username)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    assert fresh(Project, project.id).owner.username == username


def test_demo_data_uses_the_same_rule(app, people, monkeypatch):
    """A demo project whose owner is no leader stops the demo load."""
    from app import demo
    from app.demo.projects import PROJECTS
    from app.people.owners import OwnerNotEligible

    spec = {**PROJECTS[1], "owner": "ida", "gates": []}
    with app.test_request_context(), pytest.raises(OwnerNotEligible):
        demo._make_project(spec, people)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Project.id))) == 0


# --- the exact path from the issue ---------------------------------------------------------
def test_ida_cannot_name_herself_owner_and_then_decide_bp1(as_user, people):
    ida = as_user("ida")
    response = post_form(ida, "/ideas/new", _idea("ida", "submit"), page="/ideas/new")
    assert response.status_code == 422
    assert "Ida Berg kan ikke være prosjekteier." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Project.id))) == 0


def test_an_owner_who_may_not_own_cannot_decide(as_user, people):
    """Data from before the rule (ida set as owner of her own idea): she sees no decision
    form, and a forged decision is refused without changing anything."""
    project = make_project(people, owner="ida")
    ida = as_user("ida")
    assert post_form(ida, f"{gate_url(project)}/request", {"summary": "Vurder."},
                     page=gate_url(project)).status_code == 302
    html = ida.get(gate_url(project)).get_data(as_text=True)
    assert "Din beslutning som prosjekteier" not in html
    [req] = requests_of(project.id)

    response = post_form(ida, f"{gate_url(project)}/decide",
                         {"decision": "approve", "confirm_owner": "y", "manager_username": "kari",
                          "answer-fits_strategy": "ja", "answer-is_project": "ja",
                          "request_id": str(req.id), "request_version": str(req.version)},
                         page=gate_url(project))

    assert response.status_code == 403
    assert "Ida Berg kan ikke være prosjekteier." in response.get_data(as_text=True)
    assert fresh(Project, project.id).stage == "idea"
    assert [r.status for r in requests_of(project.id)] == ["pending"]
    assert not db.session.scalar(db.select(AuditEvent.id).where(AuditEvent.action == "gate.decided"))


def test_a_revoked_grant_stops_decisions_until_the_role_is_handed_on(app, as_user, people):
    from tests.gates.flow import BrowserClient
    from tests.support.factories import login_as

    hans = BrowserClient(app, app.response_class, use_cookies=True)
    login_as(hans, people["hans"])
    project = idea_with_pending_bp1(as_user("ida"), people, owner="hans")
    assert "Din beslutning som prosjekteier" in hans.get(gate_url(project)).get_data(as_text=True)
    db.session.delete(db.session.scalar(db.select(OwnerGrant)))
    db.session.commit()
    assert "Din beslutning som prosjekteier" not in hans.get(gate_url(project)).get_data(as_text=True)
    assert fresh(Project, project.id).stage == "idea"
    # An administrator hands the role to a leader, who can decide.
    post_form(as_user("admin"), f"/projects/{project.id}/owner", {"owner_username": "randi"},
              page=f"/projects/{project.id}")
    assert decide(as_user("randi"), project, "reject", comment="Løses i linjen.").status_code == 302


def test_people_who_have_left_neither_own_nor_make_a_leader(people):
    """After `flask directory sync` marks leavers inactive: a leader who left may not own,
    and nobody is a leader by a report who left. Neither is offered by the picker."""
    from app.people.search import find_people

    ola, ida = fresh(User, people["ola"].id), fresh(User, people["ida"].id)
    assert ola.can_own_projects()
    ida.active = False  # ola's only report in the fixture leaves
    db.session.commit()
    assert not fresh(User, people["ola"].id).can_own_projects()
    assert "ida" not in [p.username for p in find_people("Ida Berg").people]
    randi = fresh(User, people["randi"].id)
    randi.active = False
    db.session.commit()
    assert not fresh(User, people["randi"].id).can_own_projects()
    assert "randi" not in [p.username for p in find_people("Randi Strand").people]
