"""Issue 13: a notification for every hand-off, each linking straight to the action, and
the rules every notification follows. Driven through the real forms, as people use them."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db as _db
from app.models import Notification, ProjectMember
from app.models.benefit import BenefitsAgreementAck
from app.notifications import handoffs
from app.plan.benefits.operations import bump_plan_version
from tests.gates.flow import (as_user, decide, fresh, idea_with_pending_bp1, make_project,  # noqa: F401
                              notifications_for)
from tests.support.factories import make_user, post_form


@pytest.fixture()
def cast(users):
    return {**users, "tor": make_user("tor", display_name="Tor Lund", unit="IKT", roles={"ikt"}),
            "nils": make_user("nils", display_name="Nils Bakke", leader="ola")}


@pytest.fixture()
def project(cast):
    """In planning: ola owns it, kari leads it, it processes personal data."""
    return make_project(cast, title="Ny EPJ for helse og omsorg", stage="planning", submitter="kari",
                        owner="ola", manager="kari", personal_data="yes")


def everything() -> list[Notification]:
    _db.session.expire_all()
    return list(_db.session.scalars(_db.select(Notification).order_by(Notification.id)))


def test_appointed_to_roles_on_the_roles_tab(as_user, cast, project):
    ola = as_user("ola")
    base = f"/projects/{project.id}/roles"
    r = post_form(ola, f"{base}/manager", {"manager_username": "nils", "manager_version": project.version},
                  page=base)
    assert r.status_code in (302, 303), r.get_data(as_text=True)
    r = post_form(ola, f"{base}/benefits_owner/members", {"benefits_owner_username": "randi"}, page=base)
    assert r.status_code in (302, 303)
    post_form(ola, f"{base}/member/members", {"member_username": "ola"}, page=base)  # himself

    [to_nils] = notifications_for(cast["nils"], "role_assigned")
    assert "Ola Nordmann har gjort deg til prosjektleder i «Ny EPJ for helse og omsorg»" in to_nils.text
    assert to_nils.url == f"{base}#role-manager"
    [to_randi] = notifications_for(cast["randi"], "role_assigned")
    assert "gevinstansvarlig" in to_randi.text and to_randi.url == f"{base}#role-benefits_owner"
    assert notifications_for(cast["ola"]) == []  # never for what you did yourself


def test_ikt_task_created_and_assigned(as_user, cast, project):
    kari, per = as_user("kari"), as_user("per")
    tasks = f"/projects/{project.id}/tasks"
    r = post_form(kari, tasks, {"title": "Testmiljø for fagsystemet", "kind": "test_env",
                                "due_date": "2026-05-01", "description": "", "version": ""}, page=tasks)
    assert r.status_code in (201, 302, 303), r.get_data(as_text=True)
    # The whole IKT department hears of the new task, linked to it.
    for name in ("per", "tor"):
        [note] = notifications_for(cast[name], "task_created")
        assert "Ny IKT-oppgave i «Ny EPJ for helse og omsorg»: Testmiljø for fagsystemet" in note.text
        assert note.url.startswith(f"{tasks}#task-")
    task_id = int(note.url.rsplit("-", 1)[1])
    r = post_form(per, f"{tasks}/{task_id}/work",
                  {"status": "in_progress", "assignee": str(cast["tor"].id), "version": "1"}, page=tasks)
    assert r.status_code in (200, 302, 303), r.get_data(as_text=True)
    [assigned] = notifications_for(cast["tor"], "task_assigned")
    assert "Per Hansen har satt deg som ansvarlig for IKT-oppgaven «Testmiljø for fagsystemet»" in assigned.text
    assert notifications_for(cast["per"], "task_assigned") == []


def test_milestone_assigned_and_dpia_required(as_user, cast, project):
    kari, siri = as_user("kari"), as_user("siri")
    base = f"/projects/{project.id}/milestones"
    r = post_form(kari, base, {"new_number": "M1", "new_description": "Når piloten er evaluert",
                               "new_responsible_username": "nils", "new_due_date": "01.06.2027",
                               "new_gate": "BP3"}, page=base)
    assert r.status_code in (302, 303), r.get_data(as_text=True)
    [note] = notifications_for(cast["nils"], "milestone_assigned")
    assert "Kari Nordmann har satt deg som ansvarlig for milepæl M1 i «Ny EPJ for helse og omsorg»" in note.text
    assert "1. juni 2027" in note.text and note.url.startswith(f"{base}#milestone-")

    tasks = f"/projects/{project.id}/tasks"
    r = post_form(siri, f"{tasks}/privacy", {"dpia_status": "pakrevd", "comment": "Helseopplysninger.",
                                             "version": ""}, page=tasks)
    assert r.status_code in (302, 303), r.get_data(as_text=True)
    [dpia] = notifications_for(cast["kari"], "dpia_needed")
    assert "trenger en personvernkonsekvensvurdering (DPIA)" in dpia.text and dpia.url == f"{tasks}#privacy"


def test_bp1_gives_the_new_manager_one_notification_and_the_dpo_the_dpia_question(as_user, cast):
    project = idea_with_pending_bp1(as_user("ida"), cast, personal_data="yes")
    response = decide(as_user("ola"), project, "approve", manager_username="kari")
    assert response.status_code in (302, 303)
    # One event, one notification per person: kari hears she leads the project, once.
    [to_kari] = [n for n in notifications_for(cast["kari"]) if n.project_id == project.id]
    assert to_kari.kind == "role_assigned" and "prosjektleder" in to_kari.text
    assert notifications_for(cast["ida"], "gate_decided")
    [to_siri] = notifications_for(cast["siri"], "dpia_needed")
    assert "kan behandle personopplysninger" in to_siri.text
    assert to_siri.url == f"/personvern?q={project.id}"


def test_gevinstavtale_waiting_and_again_after_a_change(app, db, cast, project):
    from app.models import Project, User

    project.stage = "handover"
    project.members.append(ProjectMember(user=cast["randi"], role="benefits_owner"))
    _db.session.commit()
    with app.app_context(), app.test_request_context():  # a request of its own (fresh `g`)
        handoffs.agreement_waiting(_db.session.get(Project, project.id), _db.session.get(User, cast["kari"].id))
        _db.session.commit()
    assert {n.user.username for n in everything() if n.kind == "agreement_waiting"} == {"ola", "randi"}
    [to_randi] = notifications_for(cast["randi"], "agreement_waiting")
    assert "venter på at du kvitterer" in to_randi.text
    assert to_randi.url == f"/projects/{project.id}/benefits#benefits-plan-status"

    # randi acknowledges version 1; then the plan changes: she must acknowledge again.
    version = bump_plan_version(project)
    _db.session.add(BenefitsAgreementAck(project_id=project.id, user_id=cast["randi"].id, plan_version=version))
    _db.session.commit()
    with app.app_context(), app.test_request_context():
        bump_plan_version(_db.session.get(Project, project.id))
        _db.session.commit()
    again = [n for n in notifications_for(cast["randi"], "agreement_waiting") if "er endret" in n.text]
    assert len(again) == 1


def test_leader_left_goes_to_portfolio_management_never_about_hidden_projects(app, db, cast):
    open_project = make_project(cast, title="Åpent prosjekt", stage="execution", manager="kari")
    hidden = make_project(cast, title="Skjermet prosjekt", stage="execution", manager="kari", restricted=True)
    make_user("geir", display_name="Geir Portefølje", roles={"portefolje"})
    with app.app_context():  # as the directory sync runs it: from the command line
        assert handoffs.people_left([fresh(type(cast["kari"]), cast["kari"].id)]) == 2
        _db.session.commit()
    notes = [n for n in everything() if n.kind == "leader_left"]
    assert {n.user.username for n in notes} == {"lise", "geir"}
    assert all(n.url == f"/projects/{n.project_id}/roles#role-manager" for n in notes)
    assert "Kari Nordmann har sluttet og var prosjektleder for «Åpent prosjekt»" in notes[0].text
    # A restricted project is seen by portefolje, so both hear of both; nobody else does.
    assert len(notes) == 4


def test_nobody_is_told_about_a_restricted_project_they_cannot_open(as_user, cast):
    project = make_project(cast, title="Skjermet barnevernsprosjekt", stage="planning", submitter="kari",
                           owner="ola", manager="kari", restricted=True)
    tasks = f"/projects/{project.id}/tasks"
    r = post_form(as_user("kari"), tasks, {"title": "Tilgangsstyring", "kind": "access", "due_date": "",
                                           "description": "", "version": ""}, page=tasks)
    assert r.status_code in (201, 302, 303)
    # per and tor are in IKT but have no role in the restricted project: no title reaches
    # them. The task is theirs to do (issue 8), so they hear of it without the project.
    for name in ("per", "tor"):
        [note] = notifications_for(cast[name])
        assert "Skjermet barnevernsprosjekt" not in note.text and note.project_id is None
        assert "skjermet prosjekt" in note.text and note.url.startswith("/ikt")
