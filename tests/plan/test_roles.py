"""The roles tab: who holds which role, who may change it, and what the gates read from it."""
from __future__ import annotations

import pytest

from app.audit.describe import describe
from app.extensions import db
from app.gates.facts import facts_for
from app.models import Project, ProjectMember
from tests.gates.flow import make_project
from tests.plan.core_helpers import (ACTORS, EDITORS, browser, cast, event_count, events,  # noqa: F401
                                     field_errors, fresh, hidden, post, project)


def roles_url(p) -> str:
    return f"/projects/{getattr(p, 'id', p)}/roles"


def members(project_id: int, role: str) -> list[str]:
    db.session.expire_all()
    return sorted(m.user.username for m in db.session.scalars(
        db.select(ProjectMember).where(ProjectMember.project_id == project_id, ProjectMember.role == role)))


# --- reading ---------------------------------------------------------------------------------
def test_every_employee_reads_the_roles_with_their_descriptions(browser, project):
    html = browser("randi").get(roles_url(project)).get_data(as_text=True)
    assert "Ola Nordmann" in html and "Kari Nordmann" in html and "Nils Bakke" in html
    # each role says what the person signed up for
    assert "Eier gevinstrealiseringsplanen" in html
    assert "Kolleger i tjenesten som hjelper andre" in html
    # no gevinstansvarlig named: the owner is shown as responsible
    assert "Inntil da er prosjekteier, Ola Nordmann, ansvarlig for gevinstene." in html
    # a reader sees no buttons to change anything
    assert "Legg til gevinstansvarlig" not in html and ">Fjern<" not in html
    assert "Bytt prosjekteier" not in html


def test_manager_sees_member_buttons_but_not_the_owner_and_manager_forms(browser, project):
    html = browser("kari").get(roles_url(project)).get_data(as_text=True)
    assert "Legg til gevinstansvarlig" in html and ">Fjern<" in html
    assert "Bytt prosjekteier" not in html and "Bytt prosjektleder" not in html


def test_owner_sees_the_owner_and_manager_forms(browser, project):
    html = browser("ola").get(roles_url(project)).get_data(as_text=True)
    assert "Bytt prosjekteier" in html and "Bytt prosjektleder" in html and "Fjern prosjektleder" in html


def test_restricted_project_is_hidden_from_outsiders(browser, cast):
    p = make_project(cast, stage="planning", manager="kari", restricted=True)
    assert browser("randi").get(roles_url(p)).status_code == 404
    assert browser("kari").get(roles_url(p)).status_code == 200


# --- adding and removing people --------------------------------------------------------------
def test_add_a_benefits_owner_with_htmx_and_it_is_audited(browser, project):
    client = browser("kari", htmx=True)
    response = post(client, f"{roles_url(project)}/benefits_owner/members",
                    {"benefits_owner_username": "ida"}, page=roles_url(project))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="roles-body"' in html and "<html" not in html  # only the block
    assert "Ida Berg er lagt til som gevinstansvarlig." in html
    assert members(project.id, "benefits_owner") == ["ida"]
    [event] = events(project.id, "roles.member_added")
    assert event.data["role"] == "benefits_owner" and event.data["username"] == "ida"
    assert event.actor.username == "kari"
    assert describe(event) == "Kari Nordmann la til Ida Berg som gevinstansvarlig."


def test_add_without_javascript_redirects_back_to_the_role(browser, project):
    client = browser("ola")
    response = post(client, f"{roles_url(project)}/change_agent/members",
                    {"change_agent_username": "ida"}, page=roles_url(project))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{roles_url(project)}#role-change_agent")
    assert "Ida Berg er lagt til som endringsagent." in client.get(roles_url(project)).get_data(as_text=True)


def test_several_people_can_share_a_role(browser, project):
    client = browser("kari", htmx=True)
    for name in ("ida", "randi"):
        r = post(client, f"{roles_url(project)}/change_agent/members", {"change_agent_username": name},
                 page=roles_url(project))
        assert r.status_code == 200
    assert members(project.id, "change_agent") == ["ida", "randi"]


def test_remove_a_member_and_it_is_audited(browser, project):
    member = db.session.scalar(db.select(ProjectMember).where(ProjectMember.project_id == project.id))
    client = browser("kari", htmx=True)
    html = client.get(roles_url(project)).get_data(as_text=True)
    assert 'hx-confirm="Vil du fjerne Nils Bakke som prosjektdeltaker?"' in html
    response = post(client, f"{roles_url(project)}/members/{member.id}/delete", {}, page=roles_url(project))
    assert response.status_code == 200
    assert members(project.id, "member") == []
    [event] = events(project.id, "roles.member_removed")
    assert describe(event) == "Kari Nordmann fjernet Nils Bakke som prosjektdeltaker."


def test_remove_unknown_or_foreign_member_is_404(browser, project, cast):
    other = make_project(cast, title="Annet", stage="planning", manager="kari")
    db.session.add(ProjectMember(project_id=other.id, user_id=cast["ida"].id, role="member"))
    db.session.commit()
    foreign = db.session.scalar(db.select(ProjectMember).where(ProjectMember.project_id == other.id))
    client = browser("kari")
    assert post(client, f"{roles_url(project)}/members/{foreign.id}/delete", {},
                page=roles_url(project)).status_code == 404
    assert post(client, f"{roles_url(project)}/members/999999/delete", {},
                page=roles_url(project)).status_code == 404
    assert members(other.id, "member") == ["ida"]


def test_unknown_role_is_404(browser, project):
    r = post(browser("kari"), f"{roles_url(project)}/wizard/members", {"wizard_username": "ida"},
             page=roles_url(project))
    assert r.status_code == 404


# --- validation ------------------------------------------------------------------------------
@pytest.mark.parametrize("username, message", [
    ("", "Velg en person."),
    ("ingen.slik.person", "Fant ikke «ingen.slik.person» i brukerkatalogen."),
    ("x" * 300, "Fant ikke denne personen i brukerkatalogen."),
])
def test_bad_person_is_refused_beside_the_field_and_typed_value_kept(browser, project, username, message):
    r = post(browser("kari", htmx=True), f"{roles_url(project)}/domain_lead/members",
             {"domain_lead_username": username}, page=roles_url(project))
    assert r.status_code == 422
    assert any(e.startswith(message) for e in field_errors(r)), field_errors(r)
    html = r.get_data(as_text=True)
    assert f'value="{username}"' in html or username == ""
    assert "<details class=\"role-card__edit\" open>" in html  # the form stays open
    assert members(project.id, "domain_lead") == []


def test_same_person_twice_in_a_role_is_refused(browser, project):
    r = post(browser("kari", htmx=True), f"{roles_url(project)}/member/members", {"member_username": "nils"},
             page=roles_url(project))
    assert r.status_code == 422
    assert field_errors(r) == ["Nils Bakke er allerede prosjektdeltaker."]


def test_manager_cannot_be_the_owner(browser, project):
    client = browser("ola", htmx=True)
    r = post(client, f"{roles_url(project)}/manager", {"manager_username": "ola", "manager_version": project.version},
             page=roles_url(project))
    assert r.status_code == 422
    assert field_errors(r) == ["Prosjektleder og prosjekteier kan ikke være samme person."]
    assert fresh(Project, project.id).manager.username == "kari"


def test_owner_cannot_become_the_manager(browser, project):
    r = post(browser("ola", htmx=True), f"{roles_url(project)}/owner",
             {"owner_username": "kari", "owner_version": project.version}, page=roles_url(project))
    assert r.status_code == 422
    assert field_errors(r)[0].startswith("Prosjektleder og prosjekteier kan ikke være samme person.")
    assert fresh(Project, project.id).owner.username == "ola"


def test_owner_needs_someone(browser, project):
    r = post(browser("ola", htmx=True), f"{roles_url(project)}/owner",
             {"owner_username": "", "owner_version": project.version}, page=roles_url(project))
    assert r.status_code == 422
    assert field_errors(r) == ["Velg den nye prosjekteieren."]


# --- owner and manager -----------------------------------------------------------------------
def test_owner_hands_over_the_owner_role(browser, project):
    r = post(browser("ola", htmx=True), f"{roles_url(project)}/owner",
             {"owner_username": "randi", "owner_version": project.version}, page=roles_url(project))
    assert r.status_code == 200
    assert "Randi Strand er nå prosjekteier." in r.get_data(as_text=True)
    assert fresh(Project, project.id).owner.username == "randi"
    [event] = events(project.id, "project.owner_transferred")
    assert describe(event) == "Ola Nordmann overførte prosjekteierrollen fra Ola Nordmann til Randi Strand."


def test_new_proposed_owner_of_an_idea_must_confirm_again(browser, cast):
    from app.models.base import utcnow

    p = make_project(cast, stage="idea", owner="ola", owner_confirmed_at=utcnow())
    r = post(browser("ola"), f"{roles_url(p)}/owner", {"owner_username": "randi", "owner_version": p.version},
             page=roles_url(p))
    assert r.status_code == 303
    p = fresh(Project, p.id)
    assert p.owner.username == "randi" and p.owner_confirmed_at is None


def test_owner_appoints_replaces_and_removes_the_manager(browser, project):
    client = browser("ola", htmx=True)
    r = post(client, f"{roles_url(project)}/manager", {"manager_username": "ida", "manager_version": project.version},
             page=roles_url(project))
    assert r.status_code == 200
    assert fresh(Project, project.id).manager.username == "ida"
    [set_event] = events(project.id, "roles.manager_set")
    assert describe(set_event) == "Ola Nordmann byttet prosjektleder fra Kari Nordmann til Ida Berg."
    version = fresh(Project, project.id).version
    r = post(client, f"{roles_url(project)}/manager/remove", {"manager_version": version}, page=roles_url(project))
    assert r.status_code == 200
    assert fresh(Project, project.id).manager is None
    [removed] = events(project.id, "roles.manager_removed")
    assert describe(removed) == "Ola Nordmann fjernet Ida Berg som prosjektleder."
    html = client.get(roles_url(project)).get_data(as_text=True)
    assert "Ingen prosjektleder er utnevnt ennå." in html and "Utnevn prosjektleder" in html


def test_manager_change_on_an_outdated_page_is_refused_and_keeps_the_first(browser, project, cast):
    """Ola and the administrator open the page at the same version; Ola saves first."""
    first, second = browser("ola", htmx=True), browser("admin", htmx=True)
    page_first = first.get(roles_url(project)).get_data(as_text=True)
    page_second = second.get(roles_url(project)).get_data(as_text=True)
    v1, v2 = hidden(page_first, "manager_version"), hidden(page_second, "manager_version")
    assert v1 == v2
    assert post(first, f"{roles_url(project)}/manager", {"manager_username": "ida", "manager_version": v1},
                page=roles_url(project)).status_code == 200
    r = post(second, f"{roles_url(project)}/manager", {"manager_username": "randi", "manager_version": v2},
             page=roles_url(project))
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "Noen andre har endret dette mens du skrev." in html
    assert "Prosjektleder nå:" in html and "<strong>Ida Berg</strong>" in html  # what changed
    assert 'value="randi"' in html  # what the second person typed is kept
    assert fresh(Project, project.id).manager.username == "ida"
    # saving again on the refreshed version goes through
    again = post(second, f"{roles_url(project)}/manager",
                 {"manager_username": "randi", "manager_version": hidden(html, "manager_version")},
                 page=roles_url(project))
    assert again.status_code == 200
    assert fresh(Project, project.id).manager.username == "randi"


def test_missing_version_is_a_bad_request(browser, project):
    r = post(browser("ola"), f"{roles_url(project)}/manager", {"manager_username": "ida"}, page=roles_url(project))
    assert r.status_code == 400
    assert fresh(Project, project.id).manager.username == "kari"


# --- permissions -----------------------------------------------------------------------------
@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_may_add_people_to_roles(browser, project, actor):
    before = event_count(project.id)
    r = post(browser(ACTORS[actor]), f"{roles_url(project)}/reference/members", {"reference_username": "ida"},
             page=roles_url(project))
    if actor in EDITORS:
        assert r.status_code == 303
        assert members(project.id, "reference") == ["ida"]
    else:
        assert r.status_code == 403
        assert members(project.id, "reference") == []
        assert event_count(project.id) == before


@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_may_remove_people_from_roles(browser, project, actor):
    member = db.session.scalar(db.select(ProjectMember).where(ProjectMember.project_id == project.id))
    r = post(browser(ACTORS[actor]), f"{roles_url(project)}/members/{member.id}/delete", {}, page=roles_url(project))
    assert r.status_code == (303 if actor in EDITORS else 403)
    assert members(project.id, "member") == ([] if actor in EDITORS else ["nils"])


@pytest.mark.parametrize("actor", list(ACTORS))
def test_only_the_owner_and_admins_change_owner_and_manager(browser, project, actor):
    client = browser(ACTORS[actor])
    r = post(client, f"{roles_url(project)}/manager", {"manager_username": "ida", "manager_version": project.version},
             page=roles_url(project))
    allowed = actor in ("owner", "admin")
    assert r.status_code == (303 if allowed else 403)
    assert fresh(Project, project.id).manager.username == ("ida" if allowed else "kari")
    if not allowed:
        r = post(client, f"{roles_url(project)}/owner", {"owner_username": "randi", "owner_version": project.version},
                 page=roles_url(project))
        assert r.status_code == 403
        r = post(client, f"{roles_url(project)}/manager/remove", {"manager_version": project.version},
                 page=roles_url(project))
        assert r.status_code == 403
        assert fresh(Project, project.id).owner.username == "ola"


def test_closed_project_cannot_be_changed(browser, cast):
    p = make_project(cast, stage="completed", manager="kari")
    html = browser("ola").get(roles_url(p)).get_data(as_text=True)
    assert "Prosjektet er avsluttet, og rollene kan ikke lenger endres." in html
    r = post(browser("ola"), f"{roles_url(p)}/member/members", {"member_username": "ida"}, page=roles_url(p))
    assert r.status_code == 403


def test_post_without_csrf_token_is_refused(browser, project):
    r = browser("kari").post(f"{roles_url(project)}/member/members", data={"member_username": "ida"})
    assert r.status_code == 400
    assert members(project.id, "member") == ["nils"]


# --- what the gates read ------------------------------------------------------------------------
def test_gate_facts_follow_the_roles(browser, project):
    facts = facts_for(fresh(Project, project.id))
    assert facts.has_benefits_owner is False and facts.has_manager is True
    post(browser("kari"), f"{roles_url(project)}/benefits_owner/members", {"benefits_owner_username": "ida"},
         page=roles_url(project))
    version = fresh(Project, project.id).version
    post(browser("ola"), f"{roles_url(project)}/manager/remove", {"manager_version": version}, page=roles_url(project))
    facts = facts_for(fresh(Project, project.id))
    assert facts.has_benefits_owner is True and facts.has_manager is False


def test_gate_checklist_links_to_the_roles_tab(browser, cast):
    p = make_project(cast, stage="concept", manager=None)
    html = browser("ola").get(f"/projects/{p.id}/gates/BP2").get_data(as_text=True)
    assert f'href="/projects/{p.id}/roles"' in html  # "Rett dette" beside "Prosjektleder er utnevnt"
