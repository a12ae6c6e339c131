"""Who may do what in which stage: every stage × action × role set, against a table written
out by hand here (not read from app.workflow.rules.RULES)."""
from datetime import date, timedelta

import pytest

from app.workflow import (
    Action,
    GateState,
    Outcome,
    RequestStatus,
    Role,
    Stage,
    TransitionRefused,
    allowed_actions,
    can,
    perform,
)

TODAY = date(2025, 3, 10)

# Who may take each action in each stage, from DOMAIN.md and the brief.
# x = allowed for a person holding that role; rows not listed: nobody, in that stage.
PERMISSIONS = """
stage        action            submitter owner manager admin employee
draft        submit                x       .      .      .      .
draft        edit_draft            x       .      .      .      .
draft        delete_draft          x       .      .      .      .
idea         request_gate          x       x      .      .      .
idea         answer_checklist      x       x      .      .      .
idea         approve               .       x      .      .      .
idea         reject                .       x      .      .      .
idea         return                .       x      .      .      .
idea         postpone              .       x      .      .      .
idea         withdraw              x       .      .      .      .
idea         transfer_owner        .       x      .      x      .
concept      request_gate          .       x      x      .      .
concept      answer_checklist      .       x      x      .      .
concept      approve               .       x      .      .      .
concept      reject                .       x      .      .      .
concept      return                .       x      .      .      .
concept      postpone              .       x      .      .      .
concept      withdraw              x       .      .      .      .
concept      transfer_owner        .       x      .      x      .
planning     request_gate          .       x      x      .      .
planning     answer_checklist      .       x      x      .      .
planning     approve               .       x      .      .      .
planning     reject                .       x      .      .      .
planning     return                .       x      .      .      .
planning     postpone              .       x      .      .      .
planning     transfer_owner        .       x      .      x      .
execution    request_gate          .       x      x      .      .
execution    answer_checklist      .       x      x      .      .
execution    approve               .       x      .      .      .
execution    reject                .       x      .      .      .
execution    return                .       x      .      .      .
execution    postpone              .       x      .      .      .
execution    transfer_owner        .       x      .      x      .
handover     request_gate          .       x      x      .      .
handover     answer_checklist      .       x      x      .      .
handover     approve               .       x      .      .      .
handover     reject                .       x      .      .      .
handover     return                .       x      .      .      .
handover     postpone              .       x      .      .      .
handover     transfer_owner        .       x      .      x      .
realisation  request_gate          .       x      x      .      .
realisation  answer_checklist      .       x      x      .      .
realisation  approve               .       x      .      .      .
realisation  reject                .       x      .      .      .
realisation  return                .       x      .      .      .
realisation  postpone              .       x      .      .      .
realisation  transfer_owner        .       x      .      x      .
"""


def _parse(table: str) -> dict[tuple[Stage, Action], frozenset[Role]]:
    header, *rows = [line.split() for line in table.strip().splitlines()]
    roles = [Role(name) for name in header[2:]]
    parsed = {}
    for stage, action, *marks in rows:
        assert len(marks) == len(roles), (stage, action)
        key = (Stage(stage), Action(action))  # a typo in the table fails here
        assert key not in parsed, key
        parsed[key] = frozenset(role for role, mark in zip(roles, marks) if mark == "x")
    return parsed


EXPECTED = _parse(PERMISSIONS)

ROLE_SETS = [
    frozenset(),
    *[frozenset({role}) for role in Role],
    frozenset({Role.OWNER, Role.ADMIN}),
    frozenset({Role.SUBMITTER, Role.OWNER}),
    frozenset({Role.SUBMITTER, Role.MANAGER}),
    frozenset({Role.SUBMITTER, Role.ADMIN}),
    frozenset({Role.MANAGER, Role.ADMIN}),
    frozenset({Role.EMPLOYEE, Role.ADMIN}),
    frozenset({Role.EMPLOYEE, Role.SUBMITTER, Role.MANAGER, Role.ADMIN}),
    frozenset(Role),
]
DECISION_VALUES = {"approve", "reject", "return", "postpone"}
GATED = {"idea", "concept", "planning", "execution", "handover", "realisation"}


def _roles_id(roles):
    return "+".join(sorted(roles)) or "nobody"


def _state_for(stage: Stage, action: Action) -> GateState:
    """A state in which only the roles decide: decisions find a request waiting, everything
    else finds none."""
    if action.value in DECISION_VALUES and stage.value in GATED:
        return GateState(stage, RequestStatus.PENDING)
    return GateState(stage)


def _expected(stage, action, roles) -> bool:
    return bool(EXPECTED.get((stage, action), frozenset()) & roles)


def _valid_inputs():
    return dict(today=TODAY, comment="Begrunnelse", postpone_until=TODAY + timedelta(days=14))


MATRIX = [
    pytest.param(stage, action, roles, id=f"{stage.value}-{action.value}-{_roles_id(roles)}")
    for stage in Stage for action in Action for roles in ROLE_SETS
]


@pytest.mark.parametrize("stage, action, roles", MATRIX)
def test_can_matches_the_table(stage, action, roles):
    assert can(_state_for(stage, action), action, roles) is _expected(stage, action, roles)


@pytest.mark.parametrize("stage, action, roles", MATRIX)
def test_perform_matches_the_table(stage, action, roles):
    state = _state_for(stage, action)
    if _expected(stage, action, roles):
        outcome = perform(state, action, roles, **_valid_inputs())
        assert isinstance(outcome, Outcome) and outcome.action is action
        return
    with pytest.raises(TransitionRefused) as refused:
        perform(state, action, roles, **_valid_inputs())
    if stage.value in ("completed", "rejected", "withdrawn"):
        code = "stage_closed"
    elif (stage, action) not in EXPECTED:
        code = "stage_forbids"
    elif action.value in DECISION_VALUES:
        code = "not_owner"
    else:
        code = "role_forbids"
    assert refused.value.code == code
    assert refused.value.is_forbidden is (code in ("not_owner", "role_forbids"))


def test_the_matrix_covers_every_stage_action_and_role():
    assert len(MATRIX) == len(Stage) * len(Action) * len(ROLE_SETS) == 10 * 11 * 14


@pytest.mark.parametrize("roles, message", [
    ({Role.MANAGER}, "Bare prosjekteier kan ta denne beslutningen."),
    ({Role.ADMIN}, "Bare prosjekteier kan ta denne beslutningen."),
])
def test_only_the_owner_decides(roles, message):
    with pytest.raises(TransitionRefused) as refused:
        perform(GateState("planning", "pending"), Action.APPROVE, roles, today=TODAY)
    assert refused.value.message == message


@pytest.mark.parametrize("stage, action, roles, message", [
    ("draft", "submit", {Role.OWNER}, "Bare innsenderen kan gjøre dette."),
    ("idea", "request_gate", {Role.MANAGER},
     "Bare innsenderen eller prosjekteier kan gjøre dette."),
    ("planning", "answer_checklist", {Role.SUBMITTER},
     "Bare prosjektleder eller prosjekteier kan gjøre dette."),
    ("execution", "transfer_owner", {Role.MANAGER},
     "Bare prosjekteier eller en administrator kan gjøre dette."),
    ("idea", "withdraw", {Role.OWNER}, "Bare innsenderen kan gjøre dette."),
    ("planning", "withdraw", {Role.SUBMITTER}, "Dette kan ikke gjøres i denne fasen."),
    ("draft", "approve", {Role.OWNER}, "Dette kan ikke gjøres i denne fasen."),
    ("rejected", "transfer_owner", {Role.ADMIN}, "Saken er avsluttet og kan ikke endres."),
])
def test_refusal_messages_say_who_may(stage, action, roles, message):
    with pytest.raises(TransitionRefused) as refused:
        perform(GateState(stage), action, roles, today=TODAY)
    assert refused.value.message == message


#: the buttons each person sees, written out for typical moments
BUTTONS = [
    ("draft", None, {Role.SUBMITTER, Role.EMPLOYEE}, {"submit", "edit_draft", "delete_draft"}),
    ("draft", None, {Role.OWNER, Role.MANAGER, Role.ADMIN, Role.EMPLOYEE}, set()),
    ("idea", None, {Role.SUBMITTER}, {"request_gate", "answer_checklist", "withdraw"}),
    ("idea", None, {Role.OWNER}, {"request_gate", "answer_checklist", "transfer_owner"}),
    ("idea", None, {Role.SUBMITTER, Role.OWNER},
     {"request_gate", "answer_checklist", "withdraw", "transfer_owner"}),
    ("idea", "pending", {Role.OWNER},
     {"approve", "reject", "return", "postpone", "transfer_owner"}),
    ("idea", "pending", {Role.SUBMITTER}, {"withdraw"}),
    ("idea", "postponed", {Role.OWNER},
     {"approve", "reject", "return", "postpone", "transfer_owner"}),
    ("concept", None, {Role.MANAGER}, {"request_gate", "answer_checklist"}),
    ("concept", None, {Role.SUBMITTER}, {"withdraw"}),
    ("concept", "pending", {Role.MANAGER}, set()),
    ("planning", None, {Role.SUBMITTER}, set()),
    ("planning", None, {Role.ADMIN}, {"transfer_owner"}),
    ("planning", "pending", {Role.ADMIN}, {"transfer_owner"}),
    ("planning", "pending", {Role.ADMIN, Role.MANAGER}, {"transfer_owner"}),
    ("planning", "pending", {Role.OWNER, Role.ADMIN},
     {"approve", "reject", "return", "postpone", "transfer_owner"}),
    ("realisation", None, {Role.OWNER}, {"request_gate", "answer_checklist", "transfer_owner"}),
    ("execution", "pending", {Role.EMPLOYEE}, set()),
    ("completed", None, set(Role), set()),
    ("rejected", None, set(Role), set()),
    ("withdrawn", None, set(Role), set()),
]


@pytest.mark.parametrize("stage, open_request, roles, buttons", BUTTONS)
def test_allowed_actions(stage, open_request, roles, buttons):
    until = TODAY + timedelta(days=3) if open_request == "postponed" else None
    state = GateState(stage, open_request, until)
    assert {action.value for action in allowed_actions(state, roles)} == buttons


def _all_states():
    for stage in Stage:
        yield GateState(stage)
        if stage.value in GATED:
            yield GateState(stage, RequestStatus.PENDING)
            yield GateState(stage, RequestStatus.POSTPONED, TODAY + timedelta(days=1))


@pytest.mark.parametrize("state", list(_all_states()), ids=repr)
def test_every_button_shown_is_accepted_and_every_other_refused(state):
    """allowed_actions, can and perform agree, so no button leads to a refusal."""
    for roles in ROLE_SETS:
        shown = allowed_actions(state, roles)
        for action in Action:
            assert can(state, action, roles) is (action in shown)
            if action in shown:
                perform(state, action, roles, **_valid_inputs())
            else:
                with pytest.raises(TransitionRefused):
                    perform(state, action, roles, **_valid_inputs())


def test_roles_may_be_given_as_stored_codes():
    assert can(GateState("idea", "pending"), "approve", ["owner"])
    assert not can(GateState("idea", "pending"), "approve", ["admin", "employee"])


def test_a_single_role_string_is_a_programming_error():
    with pytest.raises(TypeError):
        can(GateState("idea"), Action.WITHDRAW, "submitter")


def test_an_unknown_role_or_action_is_a_programming_error():
    with pytest.raises(ValueError):
        can(GateState("idea"), Action.WITHDRAW, {"superuser"})
    with pytest.raises(ValueError):
        can(GateState("idea"), "fly", {Role.OWNER})
