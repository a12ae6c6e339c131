"""Mitt: the front page shows the signed-in person's own work, by role."""
from __future__ import annotations

import re

from app.extensions import db
from app.models import GateRequest, ProjectMember
from tests.gates.flow import decide, gate_url, idea_with_pending_bp1, make_project
from tests.support.factories import make_user


def section(html: str, heading_id: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert match, heading_id
    return match.group(1)


def role_group(html: str, label: str) -> str:
    projects = section(html, "projects-h")
    match = re.search(rf'<h3[^>]*>{label}</h3>\s*<ul class="work-list">(.*?)</ul>', projects, re.S)
    return match.group(1) if match else ""


def test_owner_sees_the_decision_waiting_for_him(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users, title="Digitale arbeidslister")
    html = as_user("ola").get("/").get_data(as_text=True)

    waiting = section(html, "waiting-h")
    assert "Venter på din beslutning" in waiting and "(1)" in waiting
    assert f'href="{gate_url(project)}"' in waiting
    assert "BP1: Digitale arbeidslister" in waiting and "bedt om av Ida Berg" in waiting
    # Not waiting for anyone else; someone who never decides has no empty card for it.
    for name in ("ida", "kari", "admin"):
        other = as_user(name).get("/").get_data(as_text=True)
        if users[name].can_own_projects():
            assert "Ingen beslutninger venter på deg." in section(other, "waiting-h"), name
        else:
            assert 'aria-labelledby="waiting-h"' not in other, name
    assert 'aria-labelledby="waiting-h"' not in as_user("ida").get("/").get_data(as_text=True)


def test_submitter_sees_her_request_waiting_for_the_owner_and_her_drafts_and_ideas(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users, title="Digitale arbeidslister")
    draft = make_project(users, stage="draft", title="Halvferdig tanke")
    html = as_user("ida").get("/").get_data(as_text=True)

    mine = section(html, "myreq-h")
    assert "BP1: Digitale arbeidslister" in mine and "venter på Ola Nordmann" in mine
    ideas = section(html, "ideas-h")
    assert f'href="/ideas/{draft.id}/edit">Halvferdig tanke' in ideas
    assert f'href="/projects/{project.id}">Digitale arbeidslister' in ideas
    # Her draft is hers alone, even for the proposed owner.
    assert "Halvferdig tanke" not in as_user("ola").get("/").get_data(as_text=True)


def test_after_bp1_each_person_finds_the_project_under_their_role(as_user, users):
    ida, ola = as_user("ida"), as_user("ola")
    project = idea_with_pending_bp1(ida, users, title="Digitale arbeidslister")
    decide(ola, project, "approve", manager_username="kari")
    db.session.add(ProjectMember(project_id=project.id, user_id=users["per"].id, role="technical_lead"))
    db.session.commit()

    assert "Digitale arbeidslister" in role_group(ola.get("/").get_data(as_text=True), "Som prosjekteier")
    assert "Digitale arbeidslister" in role_group(as_user("kari").get("/").get_data(as_text=True),
                                                  "Som prosjektleder")
    assert "Digitale arbeidslister" in role_group(as_user("per").get("/").get_data(as_text=True),
                                                  "Med andre roller")
    ida_html = ida.get("/").get_data(as_text=True)
    assert "Digitale arbeidslister" in role_group(ida_html, "Som innsender")
    assert "Ingen forespørsler venter." in section(ida_html, "myreq-h")
    # Someone without a role sees nothing of it on Mitt.
    assert "Digitale arbeidslister" not in as_user("siri").get("/").get_data(as_text=True)


def test_proposed_owner_sees_the_idea_before_any_request(as_user, users):
    make_project(users, title="Ny idé til Ola")
    html = as_user("ola").get("/").get_data(as_text=True)
    assert "Ny idé til Ola" in role_group(html, "Som prosjekteier")


def test_mine_page_query_count_does_not_grow_with_work(as_user, users, count_queries):
    ola = as_user("ola")
    ida = as_user("ida")

    def requests(n):
        # ida asks a different owner each time; ola is asked by a different submitter.
        for _ in range(n):
            i = len(made)
            people = {**users, "owner": make_user(f"eier{i}"), "submitter": make_user(f"innsender{i}")}
            for project in (make_project(people, owner="owner", title=f"Idas idé {i}"),
                            make_project(people, submitter="submitter", title=f"Idé til Ola {i}")):
                db.session.add(GateRequest(project_id=project.id, gate="BP1", summary="Se på den",
                                           requested_by=project.submitted_by))
            make_project(people, stage="concept", owner="owner", manager="kari", title=f"Konsept {i}")
            made.append(i)
        db.session.commit()

    made: list = []
    requests(2)
    few = count_queries(lambda: ola.get("/"))
    few_ida = count_queries(lambda: ida.get("/"))
    requests(6)
    many = count_queries(lambda: ola.get("/"))
    many_ida = count_queries(lambda: ida.get("/"))
    assert many == few and many_ida == few_ida, (few, many, few_ida, many_ida)
    assert "venter på Eier7" in ida.get("/").get_data(as_text=True)
    assert "bedt om av Innsender7" in ola.get("/").get_data(as_text=True)
