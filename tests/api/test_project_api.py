"""GET /api/v1/projects/<id>: the JSON contract promised to integrations."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.models import GateDecision, GateRequest
from tests.gates.flow import (answer, decide, idea_with_pending_bp1, make_project, request_gate,
                              requests_of, tomorrow)

TOP_KEYS = {"id", "title", "stage", "owner", "manager", "submitted_by", "gates"}
GATE_KEYS = {"gate", "status", "requested_by", "requested_at", "decision", "decided_by",
             "decided_at", "comment"}
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def get(client, project_id):
    response = client.get(f"/api/v1/projects/{project_id}")
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    return response


def test_an_idea_without_requests(as_user, users):
    project = make_project(users, title="Digitale arbeidslister")
    response = get(as_user("per"), project.id)

    assert response.status_code == 200
    assert response.get_json() == {
        "id": project.id, "title": "Digitale arbeidslister", "stage": "idea",
        "owner": "ola",  # the proposed owner while an idea
        "manager": None, "submitted_by": "ida", "gates": [],
    }


def test_the_whole_bp1_story_one_entry_per_request_in_time_order(as_user, users):
    ida, ola = as_user("ida"), as_user("ola")
    project = idea_with_pending_bp1(ida, users)
    decide(ola, project, "return", comment="Mer om gevinstene.")
    answer(ida, project, "concept_funding_clarified", "ja")
    request_gate(ida, project, "Andre runde.")
    decide(ola, project, "postpone", comment="Venter på budsjettet.", postpone_until=tomorrow())
    body = get(ida, project.id).get_json()
    assert [(g["status"], g["decision"]) for g in body["gates"]] == [("returned", "return"),
                                                                     ("postponed", "postpone")]

    decide(ola, project, "approve", manager_username="kari", comment="Kjør på.")
    body = get(ida, project.id).get_json()

    assert set(body) == TOP_KEYS
    assert (body["stage"], body["owner"], body["manager"], body["submitted_by"]) == (
        "concept", "ola", "kari", "ida")
    assert len(body["gates"]) == 2
    for entry in body["gates"]:
        assert set(entry) == GATE_KEYS
        for key in ("requested_at", "decided_at"):
            assert ISO_UTC.match(entry[key]), entry[key]
    first, second = body["gates"]
    assert first == {**first, "gate": "BP1", "status": "returned", "requested_by": "ida",
                     "decision": "return", "decided_by": "ola", "comment": "Mer om gevinstene."}
    # The entry carries the request's final decision, not the postponement before it.
    assert second == {**second, "gate": "BP1", "status": "approved", "requested_by": "ida",
                      "decision": "approve", "decided_by": "ola", "comment": "Kjør på."}
    assert parse(first["requested_at"]) <= parse(first["decided_at"]) <= parse(second["requested_at"])
    # The times are the stored UTC times.
    stored = requests_of(project.id)
    assert [parse(g["requested_at"]) for g in body["gates"]] == [r.requested_at for r in stored]
    assert parse(second["decided_at"]) == stored[1].final_decision.decided_at


def test_pending_request_has_no_decision_yet(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users)
    [entry] = get(as_user("kari"), project.id).get_json()["gates"]
    assert entry == {**entry, "gate": "BP1", "status": "pending", "requested_by": "ida",
                     "decision": None, "decided_by": None, "decided_at": None, "comment": None}


def test_requests_are_ordered_by_time_not_by_id(as_user, users):
    """Rows written out of order (imported history) still come in time order."""
    project = make_project(users, stage="planning", manager="kari")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    later = GateRequest(project_id=project.id, gate="BP2", status="approved", requested_by=users["kari"],
                        requested_at=now - timedelta(days=1))
    earlier = GateRequest(project_id=project.id, gate="BP1", status="approved", requested_by=users["ida"],
                          requested_at=now - timedelta(days=30))
    db.session.add_all([later, earlier])
    db.session.flush()
    db.session.add_all([
        GateDecision(request_id=later.id, decision="approve", decided_by=users["ola"],
                     decided_at=now - timedelta(hours=20)),
        GateDecision(request_id=earlier.id, decision="approve", decided_by=users["ola"],
                     decided_at=now - timedelta(days=29), comment="Ja"),
    ])
    db.session.commit()

    gates = get(as_user("ida"), project.id).get_json()["gates"]
    assert [(g["gate"], g["requested_by"]) for g in gates] == [("BP1", "ida"), ("BP2", "kari")]
    assert gates[0]["requested_at"] == (now - timedelta(days=30)).isoformat().replace("+00:00", "Z")


def test_signed_out_gets_401_json(client, users):
    project = make_project(users)
    response = client.get(f"/api/v1/projects/{project.id}")
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.get_json()["status"] == 401
    assert response.get_json()["error"] == "Ikke innlogget"
    assert "Location" not in response.headers  # no redirect to an HTML sign-in page


@pytest.mark.parametrize("case", ["restricted", "draft", "own_draft", "unknown"])
def test_hidden_projects_are_404_json(as_user, users, case):
    if case == "restricted":
        pid, who = make_project(users, restricted=True).id, "per"
    elif case == "draft":
        pid, who = make_project(users, stage="draft").id, "ola"
    elif case == "own_draft":  # even the author: drafts are not part of the API
        pid, who = make_project(users, stage="draft").id, "ida"
    else:
        pid, who = 99999, "ida"
    response = get(as_user(who), pid)
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_restricted_project_is_served_to_portfolio_and_admin(as_user, users):
    project = make_project(users, restricted=True)
    for name in ("lise", "admin", "ida"):
        assert get(as_user(name), project.id).status_code == 200, name


def test_rejected_and_withdrawn_projects_keep_their_gates(as_user, users):
    ida, ola = as_user("ida"), as_user("ola")
    project = idea_with_pending_bp1(ida, users)
    decide(ola, project, "reject", comment="Ikke nå.")
    body = get(ida, project.id).get_json()
    assert body["stage"] == "rejected"
    assert [(g["status"], g["decision"], g["comment"]) for g in body["gates"]] == [
        ("rejected", "reject", "Ikke nå.")]


def test_api_is_read_only(as_user, users):
    project = make_project(users)
    from tests.support.factories import csrf_token

    ida = as_user("ida")
    token = csrf_token(ida, f"/projects/{project.id}")
    for method in ("post", "put", "delete", "patch"):
        response = getattr(ida, method)(f"/api/v1/projects/{project.id}", headers={"X-CSRFToken": token})
        assert response.status_code == 405, method
    assert get(ida, project.id).get_json()["stage"] == "idea"


def test_postponed_date_does_not_leak_as_a_time(as_user, users):
    """Only the agreed keys: no internal fields such as postponed_until or version."""
    ida, ola = as_user("ida"), as_user("ola")
    project = idea_with_pending_bp1(ida, users)
    decide(ola, project, "postpone", comment="Senere.", postpone_until=date.today() + timedelta(days=7))
    [entry] = get(ida, project.id).get_json()["gates"]
    assert set(entry) == GATE_KEYS and entry["status"] == "postponed"
