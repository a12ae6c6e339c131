"""perform(): what each action does to the stage and the request, and what it refuses."""
from datetime import date, datetime, timedelta

import pytest

from app.workflow import (
    Action,
    Answer,
    Gate,
    GateState,
    ProjectFacts,
    RequestStatus,
    Role,
    Stage,
    TransitionRefused,
    allowed_actions,
    can,
    check_owner_not_manager,
    evaluate,
    perform,
)

TODAY = date(2025, 3, 10)
TOMORROW = TODAY + timedelta(days=1)
OWNER = {Role.OWNER, Role.EMPLOYEE}
MANAGER = {Role.MANAGER, Role.EMPLOYEE}
SUBMITTER = {Role.SUBMITTER, Role.EMPLOYEE}

#: the main line, written out: each gate's approval moves to the next stage
STEPS = [
    ("idea", "concept", "BP1"),
    ("concept", "planning", "BP2"),
    ("planning", "execution", "BP3"),
    ("execution", "handover", "BP4"),
    ("handover", "realisation", "BP5"),
    ("realisation", "completed", "BP6"),
]
GATED = [from_stage for from_stage, _, _ in STEPS]


def refused(state, action, roles, **kwargs) -> TransitionRefused:
    kwargs.setdefault("today", TODAY)
    with pytest.raises(TransitionRefused) as info:
        perform(state, action, roles, **kwargs)
    return info.value


# --- submit and request ------------------------------------------------------------

def test_submit_turns_a_draft_into_an_idea_waiting_for_bp1():
    # "Send inn" is the request for BP1: the owner sees it waiting at once.
    outcome = perform(GateState("draft"), Action.SUBMIT, SUBMITTER, today=TODAY)
    assert outcome.previous_stage is Stage.DRAFT
    assert outcome.stage is Stage.IDEA and outcome.stage_changed
    assert outcome.gate is Gate.BP1
    assert outcome.request_status is RequestStatus.PENDING
    assert outcome.request_opened and not outcome.request_closed
    assert outcome.state == GateState(Stage.IDEA, RequestStatus.PENDING)


def test_submit_freezes_the_bp1_checklist_without_the_owners_answers():
    from app.workflow import ProjectFacts, evaluate

    checklist = evaluate(Gate.BP1, ProjectFacts(need_described=True, has_owner=True), {})
    outcome = perform(GateState("draft"), Action.SUBMIT, SUBMITTER, today=TODAY,
                      checklist=checklist)
    assert [(i["key"], i["state"]) for i in outcome.checklist_snapshot] == [
        ("need_described", "ok"), ("owner_proposed", "ok"), ("fits_strategy", "unanswered"),
        ("is_project", "unanswered"), ("concept_lead_clarified", "unanswered"),
        ("concept_funding_clarified", "unanswered")]


def test_submit_without_an_owner_is_refused_by_the_checklist():
    from app.workflow import ProjectFacts, evaluate

    checklist = evaluate(Gate.BP1, ProjectFacts(need_described=True, has_owner=False), {})
    assert refused(GateState("draft"), "submit", SUBMITTER,
                   checklist=checklist).code == "checklist_blocking"


def test_approval_needs_the_owners_must_hold_answers():
    from app.workflow import Answer, ProjectFacts, evaluate

    facts = ProjectFacts(need_described=True, has_owner=True)
    state = GateState("idea", "pending")
    unanswered = evaluate(Gate.BP1, facts, {})
    assert refused(state, "approve", OWNER, checklist=unanswered).code == "approval_blocking"
    answered = evaluate(Gate.BP1, facts, {"fits_strategy": Answer("ja"),
                                          "is_project": Answer("ja")})
    outcome = perform(state, "approve", OWNER, today=TODAY, checklist=answered)
    assert outcome.stage is Stage.CONCEPT
    # Rejecting needs no answers: a no is a no.
    assert perform(state, "reject", OWNER, today=TODAY, comment="Nei",
                   checklist=unanswered).stage is Stage.REJECTED


def test_only_an_eligible_person_becomes_owner():
    from app.workflow import check_owner_eligible

    check_owner_eligible(True)
    with pytest.raises(TransitionRefused) as exc:
        check_owner_eligible(False)
    assert exc.value.code == "owner_not_eligible"
    assert "leder" in exc.value.message


@pytest.mark.parametrize("stage, _to, gate", STEPS)
def test_request_opens_a_pending_request_for_the_gate_out_of_the_stage(stage, _to, gate):
    roles = SUBMITTER if stage == "idea" else MANAGER
    outcome = perform(GateState(stage), Action.REQUEST_GATE, roles, today=TODAY,
                      comment="  Klar for beslutning  ")
    assert outcome.stage is Stage(stage) and not outcome.stage_changed
    assert outcome.gate is Gate(gate)
    assert outcome.request_status is RequestStatus.PENDING
    assert outcome.request_opened and not outcome.request_closed
    assert outcome.state == GateState(stage, RequestStatus.PENDING)
    assert outcome.comment == "Klar for beslutning"
    assert outcome.checklist_snapshot is None


@pytest.mark.parametrize("open_request, until", [("pending", None), ("postponed", TOMORROW)])
def test_a_second_request_is_refused_while_one_is_open(open_request, until):
    error = refused(GateState("planning", open_request, until), Action.REQUEST_GATE, MANAGER)
    assert error.code == "request_open"
    assert error.message == "Det finnes allerede en forespørsel som venter på beslutning."
    assert not error.is_forbidden


# --- decisions ---------------------------------------------------------------------

@pytest.mark.parametrize("stage, to_stage, gate", STEPS)
def test_approve_moves_exactly_one_stage(stage, to_stage, gate):
    outcome = perform(GateState(stage, "pending"), Action.APPROVE, OWNER, today=TODAY)
    assert outcome.stage is Stage(to_stage)
    assert outcome.stage.order == Stage(stage).order + 1
    assert outcome.gate is Gate(gate)
    assert outcome.request_status is RequestStatus.APPROVED
    assert outcome.request_closed and not outcome.request_opened
    assert outcome.state == GateState(to_stage)  # no request carried into the next stage


def test_approve_needs_no_comment_but_keeps_one():
    assert perform(GateState("idea", "pending"), "approve", OWNER, today=TODAY).comment == ""
    outcome = perform(GateState("idea", "pending"), "approve", OWNER, today=TODAY,
                      comment=" Bra idé ")
    assert outcome.comment == "Bra idé"


@pytest.mark.parametrize("stage", GATED)
def test_reject_ends_in_rejected(stage):
    outcome = perform(GateState(stage, "pending"), Action.REJECT, OWNER, today=TODAY,
                      comment="Ikke prioritert")
    assert outcome.stage is Stage.REJECTED
    assert outcome.gate is Gate.for_stage(stage)
    assert outcome.request_status is RequestStatus.REJECTED and outcome.request_closed
    assert outcome.state == GateState(Stage.REJECTED)


@pytest.mark.parametrize("stage", GATED)
def test_return_keeps_the_stage_and_closes_the_request(stage):
    outcome = perform(GateState(stage, "pending"), Action.SEND_BACK, OWNER, today=TODAY,
                      comment="Beskriv nullalternativet")
    assert outcome.stage is Stage(stage) and not outcome.stage_changed
    assert outcome.request_status is RequestStatus.RETURNED and outcome.request_closed
    assert outcome.state == GateState(stage)


def test_after_return_the_checklist_opens_again_and_a_new_request_may_follow():
    pending = GateState("concept", "pending")
    assert not can(pending, Action.ANSWER_CHECKLIST, MANAGER)
    after = perform(pending, "return", OWNER, today=TODAY, comment="Mangler gevinster").state
    assert can(after, Action.ANSWER_CHECKLIST, MANAGER)
    assert perform(after, "request_gate", MANAGER, today=TODAY).request_opened


@pytest.mark.parametrize("open_request, until", [("pending", None), ("postponed", TOMORROW)])
def test_the_checklist_is_locked_while_a_request_is_open(open_request, until):
    error = refused(GateState("idea", open_request, until), "answer_checklist", SUBMITTER)
    assert error.code == "checklist_locked"


def test_postpone_keeps_the_request_open_until_a_date():
    until = TODAY + timedelta(days=30)
    outcome = perform(GateState("planning", "pending"), Action.POSTPONE, OWNER, today=TODAY,
                      postpone_until=until, comment="Venter på budsjettvedtak")
    assert outcome.stage is Stage.PLANNING
    assert outcome.request_status is RequestStatus.POSTPONED
    assert not outcome.request_opened and not outcome.request_closed
    assert outcome.postponed_until == until
    assert outcome.state == GateState("planning", RequestStatus.POSTPONED, until)


@pytest.mark.parametrize("until", [None, TODAY, TODAY - timedelta(days=1), date(2000, 1, 1)])
def test_postpone_needs_a_date_after_today(until):
    error = refused(GateState("planning", "pending"), "postpone", OWNER,
                    postpone_until=until, comment="Venter")
    assert error.code == "postpone_date"
    assert error.message == "Velg en dato fram i tid for utsettelsen."


def test_postpone_accepts_a_datetime_as_its_day():
    outcome = perform(GateState("planning", "pending"), "postpone", OWNER, today=TODAY,
                      postpone_until=datetime(2025, 3, 11, 8, 0), comment="Venter")
    assert outcome.postponed_until == TOMORROW and type(outcome.postponed_until) is date


def test_a_postponed_request_can_be_postponed_again():
    state = GateState("execution", "postponed", TOMORROW)
    later = TODAY + timedelta(days=60)
    outcome = perform(state, "postpone", OWNER, today=TODAY, postpone_until=later,
                      comment="Fortsatt uavklart")
    assert outcome.state == GateState("execution", "postponed", later)


@pytest.mark.parametrize("action, stage", [
    ("approve", "execution"), ("reject", "rejected"), ("return", "planning")])
def test_the_owner_may_decide_a_postponed_request_before_its_date(action, stage):
    state = GateState("planning", "postponed", TODAY + timedelta(days=90))
    outcome = perform(state, action, OWNER, today=TODAY, comment="Avklart nå")
    assert outcome.stage is Stage(stage)
    assert outcome.request_closed
    assert outcome.state.open_request is None and outcome.postponed_until is None


@pytest.mark.parametrize("action", ["reject", "return", "postpone"])
@pytest.mark.parametrize("comment", ["", "   ", "\n\t "])
def test_every_decision_but_approve_needs_a_reason(action, comment):
    error = refused(GateState("idea", "pending"), action, OWNER, comment=comment,
                    postpone_until=TOMORROW)
    assert error.code == "comment_required"
    assert error.message == (
        "Skriv en begrunnelse. Den er påkrevd for alle beslutninger unntatt Godkjenn.")


@pytest.mark.parametrize("action", ["approve", "reject", "return", "postpone"])
@pytest.mark.parametrize("stage", GATED)
def test_a_decision_needs_a_waiting_request(stage, action):
    error = refused(GateState(stage), action, OWNER, comment="Begrunnelse",
                    postpone_until=TOMORROW)
    assert error.code == "no_request"
    assert error.message == "Ingen forespørsel venter på beslutning."


@pytest.mark.parametrize("action", ["approve", "reject", "return", "postpone"])
@pytest.mark.parametrize("roles", [
    {Role.ADMIN}, {Role.ADMIN, Role.EMPLOYEE}, {Role.ADMIN, Role.MANAGER},
    {Role.ADMIN, Role.SUBMITTER}, {Role.MANAGER}, {Role.SUBMITTER},
], ids=lambda roles: "+".join(sorted(roles)))
@pytest.mark.parametrize("stage", GATED)
def test_nobody_but_the_owner_decides(stage, roles, action):
    error = refused(GateState(stage, "pending"), action, roles, comment="Begrunnelse",
                    postpone_until=TOMORROW)
    assert error.code == "not_owner"
    assert error.message == "Bare prosjekteier kan ta denne beslutningen."
    assert error.is_forbidden


def test_an_admin_who_is_also_the_owner_decides_as_owner():
    outcome = perform(GateState("handover", "pending"), "approve", {Role.ADMIN, Role.OWNER},
                      today=TODAY)
    assert outcome.stage is Stage.REALISATION


# --- withdraw ------------------------------------------------------------------------

@pytest.mark.parametrize("stage", ["idea", "concept"])
def test_withdraw_without_a_request(stage):
    outcome = perform(GateState(stage), Action.WITHDRAW, SUBMITTER, today=TODAY,
                      comment="Løses i linjen")
    assert outcome.stage is Stage.WITHDRAWN
    assert outcome.request_status is None and not outcome.request_closed


@pytest.mark.parametrize("stage, open_request, until", [
    ("idea", "pending", None), ("concept", "postponed", TOMORROW)])
def test_withdraw_closes_an_open_request(stage, open_request, until):
    outcome = perform(GateState(stage, open_request, until), "withdraw", SUBMITTER, today=TODAY,
                      comment="Ikke aktuelt lenger")
    assert outcome.stage is Stage.WITHDRAWN
    assert outcome.request_closed
    assert outcome.request_status is RequestStatus.WITHDRAWN
    assert outcome.state == GateState(Stage.WITHDRAWN)


@pytest.mark.parametrize("comment", ["", "   "])
def test_withdrawing_needs_a_reason(comment):
    exc = refused(GateState("idea", "pending"), "withdraw", SUBMITTER, comment=comment)
    assert exc.code == "reason_required"
    assert exc.message == "Skriv hvorfor prosjektet trekkes."


@pytest.mark.parametrize("stage", ["planning", "execution", "handover", "realisation"])
def test_no_withdrawal_after_bp2(stage):
    assert refused(GateState(stage), "withdraw", SUBMITTER).code == "stage_forbids"


# --- actions that leave the state alone ----------------------------------------------

@pytest.mark.parametrize("state, action, roles", [
    (GateState("draft"), "edit_draft", SUBMITTER),
    (GateState("draft"), "delete_draft", SUBMITTER),
    (GateState("idea"), "answer_checklist", SUBMITTER),
    (GateState("execution", "pending"), "transfer_owner", OWNER),
    (GateState("planning", "postponed", TOMORROW), "transfer_owner", {Role.ADMIN}),
])
def test_actions_that_change_no_state(state, action, roles):
    outcome = perform(state, action, roles, today=TODAY)
    assert outcome.state == state
    assert outcome.request_status is None
    assert not outcome.request_opened and not outcome.request_closed


# --- the whole journey ---------------------------------------------------------------

def test_a_project_walks_the_whole_line_one_gate_at_a_time():
    state = perform(GateState("draft"), "submit", SUBMITTER, today=TODAY).state
    visited = [state.stage.value]
    for _ in range(6):
        if not state.has_open_request:  # BP1 was requested by "Send inn"
            state = perform(state, "request_gate", MANAGER, today=TODAY).state
        state = perform(state, "approve", OWNER, today=TODAY).state
        visited.append(state.stage.value)
    assert visited == [
        "idea", "concept", "planning", "execution", "handover", "realisation", "completed"]
    assert allowed_actions(state, set(Role)) == set()


#: the only stage changes there are, by action (written out; everything else keeps the stage)
NEXT = {"idea": "concept", "concept": "planning", "planning": "execution",
        "execution": "handover", "handover": "realisation", "realisation": "completed"}


def _states():
    for stage in Stage:
        yield GateState(stage)
        if stage.value in NEXT:
            yield GateState(stage, "pending")
            yield GateState(stage, "postponed", TOMORROW)


@pytest.mark.parametrize("state", list(_states()), ids=repr)
def test_phases_are_never_skipped(state):
    """Whatever anyone does, the stage changes only by submit, one-step approve, reject or
    withdraw."""
    successes = 0
    for action in Action:
        try:
            outcome = perform(state, action, set(Role), today=TODAY, comment="Begrunnelse",
                              postpone_until=TOMORROW)
        except TransitionRefused:
            continue
        successes += 1
        before, after = state.stage.value, outcome.stage.value
        allowed_after = {
            "submit": {"idea"} if before == "draft" else set(),
            "approve": {NEXT.get(before)},
            "reject": {"rejected"},
            "withdraw": {"withdrawn"},
        }.get(action.value, {before})
        assert after in allowed_after, (action, before, after)
    assert successes > 0 or state.stage.is_terminal


# --- checklist at request time -------------------------------------------------------

BP1_FACTS = ProjectFacts(need_described=True, has_owner=True)
ALL_JA = {"fits_strategy": Answer("ja"), "is_project": Answer("ja"),
          "concept_lead_clarified": Answer("ja"), "concept_funding_clarified": Answer("ja")}


def test_a_request_is_refused_while_the_checklist_blocks():
    checklist = evaluate(Gate.BP1, ProjectFacts(need_described=False, has_owner=True), ALL_JA)
    error = refused(GateState("idea"), "request_gate", SUBMITTER, checklist=checklist)
    assert error.code == "checklist_blocking"
    assert error.message == (
        "Sjekklisten har punkter som må være oppfylt før du kan be om godkjenning.")


def test_a_request_with_warnings_goes_through_and_freezes_the_checklist():
    answers = {**ALL_JA, "concept_funding_clarified": Answer("nei", "Søkes i april")}
    checklist = evaluate(Gate.BP1, BP1_FACTS, answers)
    assert checklist.warnings and checklist.can_request
    outcome = perform(GateState("idea"), "request_gate", SUBMITTER, today=TODAY,
                      checklist=checklist)
    assert outcome.request_opened
    assert outcome.checklist_snapshot == checklist.snapshot()
    assert {"key": "concept_funding_clarified", "state": "warning"}.items() <= \
        outcome.checklist_snapshot[-1].items()


def test_a_checklist_for_another_gate_is_a_programming_error():
    checklist = evaluate(Gate.BP2, ProjectFacts(), {})
    with pytest.raises(ValueError):
        perform(GateState("idea"), "request_gate", SUBMITTER, today=TODAY, checklist=checklist)


# --- GateState -------------------------------------------------------------------------

def test_state_accepts_stored_codes():
    state = GateState("planning", "postponed", TOMORROW)
    assert state.stage is Stage.PLANNING
    assert state.open_request is RequestStatus.POSTPONED
    assert state.gate is Gate.BP3 and state.has_open_request


@pytest.mark.parametrize("stage, open_request, until", [
    ("draft", "pending", None),             # a draft has no gate to request
    ("completed", "pending", None),
    ("withdrawn", "postponed", TOMORROW),
    ("idea", "approved", None),             # a closed status is not an open request
    ("idea", "postponed", None),            # postponed needs its date
    ("idea", "pending", TOMORROW),          # a date only while postponed
    ("idea", None, TOMORROW),
    ("someday", None, None),
])
def test_states_that_cannot_occur_are_refused(stage, open_request, until):
    with pytest.raises(ValueError):
        GateState(stage, open_request, until)


# --- owner and manager ---------------------------------------------------------------

@pytest.mark.parametrize("owner, manager", [(7, 7), ("kari", "kari")])
def test_owner_and_manager_may_not_be_the_same_person(owner, manager):
    with pytest.raises(TransitionRefused) as info:
        check_owner_not_manager(owner, manager)
    assert info.value.code == "owner_is_manager"
    assert info.value.message == "Prosjektleder og prosjekteier kan ikke være samme person."
    assert str(info.value) == info.value.message


@pytest.mark.parametrize("owner, manager", [(7, 8), (7, None), (None, 8), (None, None)])
def test_different_or_vacant_roles_pass(owner, manager):
    assert check_owner_not_manager(owner, manager) is None
