"""A page's project and its requests are read by separate statements, and someone else may
commit in between. The gate services must act on the state as it is when they write, not
as it was read: these tests hand them such a stale project directly (the window is too
narrow to hit reliably over HTTP; tests/gates/test_concurrency.py races the real thing)."""
from __future__ import annotations

import pytest
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.exceptions import Conflict

from app.gates.checklist import TypedAnswer, answer_items
from app.gates.services import request_gate
from app.models import Project
from app.workflow import Gate
from tests.gates.flow import (answer_bp2, answers_of, concept_project, decide, fresh,
                              idea_with_pending_bp1, request_gate as press_request, requests_of)


def test_be_om_godkjenning_on_a_stage_that_moved_on_opens_nothing(app, db, as_user, users):
    """Read as an idea, but BP1 was approved meanwhile: asking for BP1 again must not open
    a BP1 request on a project now in concept (its approval would skip a phase)."""
    project = idea_with_pending_bp1(as_user("ida"), users)
    decide(as_user("ola"), project, "approve", manager_username="kari")
    stale = fresh(Project, project.id)
    assert stale.stage == "concept" and stale.open_request is None
    set_committed_value(stale, "stage", "idea")  # what the page read a moment earlier

    with app.test_request_context(), pytest.raises(Conflict) as refused:
        request_gate(stale, Gate.BP1, "Enda en gang.", users["ida"])
    db.session.rollback()

    assert "Ola Nordmann godkjente BP1" in refused.value.description
    assert [r.status for r in requests_of(project.id)] == ["approved"]
    assert fresh(Project, project.id).stage == "concept"


def test_an_answer_read_before_the_request_was_opened_does_not_change_the_locked_checklist(
        app, db, as_user, users):
    kari = as_user("kari")
    project = concept_project(users)
    answer_bp2(kari, project)
    stale = fresh(Project, project.id)
    assert stale.open_request is None  # the page is drawn ...
    assert press_request(kari, project, gate="BP2").status_code == 302  # ... and the request is opened

    with app.test_request_context(), pytest.raises(Conflict) as refused:
        answer_items(stale, Gate.BP2, {"proposal_prepared": TypedAnswer("nei", "Ombestemt meg.")}, users["kari"])
    db.session.rollback()

    assert "Sjekklisten kan ikke endres" in refused.value.description
    assert answers_of(project.id)[("BP2", "proposal_prepared")] == ("ja", "")
