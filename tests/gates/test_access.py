"""Access rules of every state-changing endpoint, as a matrix: without a CSRF token, as
the wrong person, on an unknown project, on someone else's draft, on a restricted project.
Each refusal must also leave the database exactly as it was."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest

from app.extensions import db
from app.models import (AuditEvent, ChecklistAnswer, GateDecision, GateRequest, Notification, Project,
                        User)
from tests.gates.flow import concept_project, make_project
from tests.support.factories import csrf_token, post_form


def pending_bp1(users, **kw) -> Project:
    """An idea sent in: BP1 waits for the owner (ola)."""
    project = make_project(users, **kw)
    db.session.add(GateRequest(project_id=project.id, gate="BP1", status="pending",
                               summary="", requested_by=users["ida"]))
    db.session.commit()
    return project


def decision_data(project_id: int) -> dict:
    req = db.session.scalar(db.select(GateRequest).where(GateRequest.project_id == project_id))
    rid, version = (req.id, req.version) if req else (1, 1)
    return {"decision": "approve", "confirm_owner": "y", "manager_username": "kari", "comment": "",
            "answer-fits_strategy": "ja", "answer-is_project": "ja",
            "request_id": str(rid), "request_version": str(version)}


@dataclass(frozen=True)
class Endpoint:
    name: str
    #: path for a project id
    path: Callable[[int], str]
    #: builds the project in the state where the action is possible
    setup: Callable
    #: form data for a project id
    data: Callable[[int], dict]
    #: who may do it
    allowed: str
    #: who may not (but can see the project)
    refused: tuple[str, ...]


ENDPOINTS = [
    Endpoint("answer_checklist", lambda pid: f"/projects/{pid}/gates/BP2/checklist",
             concept_project, lambda pid: {"answer-proposal_prepared": "ja", "answer-proposal_prepared-comment": ""},
             "kari",
             ("per", "ida", "admin", "lise")),
    Endpoint("request_gate", lambda pid: f"/projects/{pid}/gates/BP1/request", make_project,
             lambda pid: {"summary": "Vurder ideen."}, "ida", ("per", "kari", "admin", "lise")),
    Endpoint("decide_gate", lambda pid: f"/projects/{pid}/gates/BP1/decide", pending_bp1,
             decision_data, "ola", ("ida", "per", "kari", "admin", "lise")),
    Endpoint("withdraw_project", lambda pid: f"/projects/{pid}/withdraw", make_project,
             lambda pid: {"comment": "Trekker."}, "ida", ("ola", "per", "admin", "lise")),
    Endpoint("transfer_owner", lambda pid: f"/projects/{pid}/owner", make_project,
             lambda pid: {"owner_username": "randi"}, "admin", ("ida", "per", "kari", "lise")),
]
IDS = [e.name for e in ENDPOINTS]


def world() -> tuple:
    """Everything a refused request must leave untouched."""
    db.session.expire_all()

    def rows(model, *cols):
        return sorted(tuple(getattr(r, c) for c in cols) for r in db.session.scalars(db.select(model)))

    return (
        rows(Project, "id", "stage", "title", "owner_id", "manager_id", "version", "restricted"),
        rows(GateRequest, "id", "status", "version"),
        rows(GateDecision, "id"),
        rows(ChecklistAnswer, "id", "value", "comment"),
        rows(AuditEvent, "id"),
        rows(Notification, "id"),
        rows(User, "id"),
    )


def works(endpoint, client, pid):
    """The allowed person with a valid token: proves the request itself is right."""
    return post_form(client, endpoint.path(pid), endpoint.data(pid), page=f"/projects/{pid}")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_the_allowed_person_can(as_user, users, endpoint):
    project = endpoint.setup(users)
    before = world()
    response = works(endpoint, as_user(endpoint.allowed), project.id)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert world() != before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_without_csrf_token_nothing_changes(as_user, users, endpoint):
    project = endpoint.setup(users)
    client = as_user(endpoint.allowed)
    client.get(f"/projects/{project.id}")  # the session has a token; the form just lacks it
    before = world()

    response = client.post(endpoint.path(project.id), data=endpoint.data(project.id))

    assert response.status_code == 400
    assert "sikkerhetsnøkkel" in response.get_data(as_text=True)
    assert world() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_with_a_forged_csrf_token_nothing_changes(as_user, users, endpoint):
    project = endpoint.setup(users)
    before = world()
    response = as_user(endpoint.allowed).post(
        endpoint.path(project.id), data={**endpoint.data(project.id), "csrf_token": "forfalsket"})
    assert response.status_code == 400
    assert world() == before


@pytest.mark.parametrize("endpoint, name", [(e, n) for e in ENDPOINTS for n in e.refused],
                         ids=[f"{e.name}-{n}" for e in ENDPOINTS for n in e.refused])
def test_the_wrong_person_gets_403_and_nothing_changes(as_user, users, endpoint, name):
    project = endpoint.setup(users)
    before = world()
    response = works(endpoint, as_user(name), project.id)
    assert response.status_code == 403
    assert "Ingen tilgang" in response.get_data(as_text=True)
    assert world() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_unknown_project_is_404(as_user, users, endpoint):
    endpoint.setup(users)
    before = world()
    response = post_form(as_user(endpoint.allowed), endpoint.path(99999), endpoint.data(99999), page="/")
    assert response.status_code == 404
    assert world() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_someone_elses_draft_is_404(as_user, users, endpoint):
    """randi's private draft (ida proposed as owner, to tempt the rules)."""
    draft = make_project(users, stage="draft", submitter="randi", owner="ida", title="Randis kladd")
    before = world()
    for name in sorted({endpoint.allowed, "ida", "ola", "admin", "lise"}):
        response = post_form(as_user(name), endpoint.path(draft.id), endpoint.data(draft.id), page="/")
        assert response.status_code == 404, name
    assert world() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_restricted_project_is_404_for_an_unrelated_employee(as_user, users, endpoint):
    project = endpoint.setup(users, restricted=True)
    before = world()
    response = post_form(as_user("per"), endpoint.path(project.id), endpoint.data(project.id), page="/")
    assert response.status_code == 404
    assert world() == before


# --- the draft endpoints -----------------------------------------------------------------

DRAFT_DATA = {"action": "draft", "title": "Endret tittel", "need": "", "unit": "Helse og omsorg",
              "owner_username": "ola", "personal_data": "unknown", "needs_ikt": "unknown"}


@pytest.mark.parametrize("path", ["/ideas/{id}/edit", "/ideas/{id}/delete"])
def test_draft_endpoints_without_csrf_change_nothing(as_user, users, path):
    draft = make_project(users, stage="draft")
    ida = as_user("ida")
    ida.get(f"/ideas/{draft.id}/edit")
    before = world()
    response = ida.post(path.format(id=draft.id), data=DRAFT_DATA)
    assert response.status_code == 400
    assert world() == before


def test_new_idea_without_csrf_creates_nothing(as_user, users):
    ida = as_user("ida")
    ida.get("/ideas/new")
    before = world()
    response = ida.post("/ideas/new", data={**DRAFT_DATA, "action": "submit"})
    assert response.status_code == 400
    assert world() == before


@pytest.mark.parametrize("path", ["/ideas/{id}/edit", "/ideas/{id}/delete"])
@pytest.mark.parametrize("name", ["ola", "admin", "lise", "per"])
def test_someone_elses_draft_cannot_be_edited_or_deleted(as_user, users, path, name):
    draft = make_project(users, stage="draft")
    before = world()
    client = as_user(name)
    assert client.get(f"/ideas/{draft.id}/edit").status_code == 404
    response = post_form(client, path.format(id=draft.id), DRAFT_DATA, page="/")
    assert response.status_code == 404
    assert world() == before


@pytest.mark.parametrize("path", ["/ideas/99999/edit", "/ideas/99999/delete"])
def test_unknown_draft_is_404(as_user, users, path):
    assert post_form(as_user("ida"), path, DRAFT_DATA, page="/").status_code == 404


# --- reading: restricted projects and unknown ids ---------------------------------------------

PAGES = ["/projects/{id}", "/projects/{id}/history", "/projects/{id}/gates/BP1", "/api/v1/projects/{id}"]


@pytest.mark.parametrize("page", PAGES)
def test_restricted_project_is_hidden_from_unrelated_staff_only(as_user, users, page):
    project = make_project(users, restricted=True, title="Skjermet sak om barnevern")
    url = page.format(id=project.id)

    for name in ("per", "kari", "siri"):
        assert as_user(name).get(url).status_code == 404, name
    for name in ("lise", "admin", "ida", "ola"):  # portefølje, admin, its own people
        response = as_user(name).get(url)
        assert response.status_code == 200, name
        assert "Skjermet sak om barnevern" in response.get_data(as_text=True)


def test_restricted_project_is_listed_only_for_those_who_may_see_it(as_user, users):
    make_project(users, restricted=True, title="Skjermet sak om barnevern")
    make_project(users, title="Åpen sak om parkering")
    for name, sees in (("per", False), ("kari", False), ("lise", True), ("admin", True), ("ida", True)):
        html = as_user(name).get("/projects/").get_data(as_text=True)
        assert ("Skjermet sak om barnevern" in html) is sees, name
        assert "Åpen sak om parkering" in html


def test_restricted_project_member_sees_it(as_user, users):
    from app.models import ProjectMember

    project = make_project(users, restricted=True)
    db.session.add(ProjectMember(project_id=project.id, user_id=users["per"].id, role="technical_lead"))
    db.session.commit()
    assert as_user("per").get(f"/projects/{project.id}").status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_unknown_project_page_is_404(as_user, users, page):
    assert as_user("ida").get(page.format(id=99999)).status_code == 404


@pytest.mark.parametrize("page", PAGES[:3])
def test_someone_elses_draft_page_is_404(as_user, users, page):
    draft = make_project(users, stage="draft", submitter="ola", owner="ida")
    for name in ("ida", "admin", "lise"):
        assert as_user(name).get(page.format(id=draft.id)).status_code == 404, name


@pytest.mark.parametrize("page", PAGES[:3] + ["/projects/", "/ideas/new", "/"])
def test_pages_need_sign_in(client, users, page):
    project = make_project(users)
    response = client.get(page.format(id=project.id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signed_out_htmx_request_redirects_the_whole_page(htmx, users):
    """No sign-in page swapped into a fragment: htmx is told to go to the sign-in page."""
    project = make_project(users)
    response = htmx.get(f"/projects/{project.id}/gates/BP1")
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")
    assert response.get_data(as_text=True) == ""


def test_csrf_token_on_gate_page_is_accepted_in_the_htmx_header(as_user, users):
    project = concept_project(users)
    kari = as_user("kari")
    token = csrf_token(kari, f"/projects/{project.id}/gates/BP2")
    response = kari.post(f"/projects/{project.id}/gates/BP2/checklist",
                         data={"answer-proposal_prepared": "ja", "answer-proposal_prepared-comment": ""},
                         headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200
