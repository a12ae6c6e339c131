"""Who may do what in which stage, and the one function that performs a transition.

The table RULES says which roles may take which action in each stage. On top of it come the
state rules (a request must be open for a decision and not open for a new request) and the
input rules (a comment for every decision but Godkjenn, a future date for Utsett, a
checklist without blocking items for a request). ``perform`` applies all of them and either
returns the Outcome or raises TransitionRefused; ``can`` and ``allowed_actions`` apply the
table and the state rules, so that the buttons shown are the ones ``perform`` accepts.

Choices:
- A postponed request is still open, and the owner may decide it at any time: the
  postponement date is information for the others, not a lock. Postponing again moves
  the date.
- The checklist is frozen while a request is open: answers cannot change under a pending
  decision. Returning the request ("Send tilbake") reopens it.
- Withdrawing closes an open request with the status "withdrawn".
- The administrator may hand the owner role on but never decides in the owner's place.
- "Send inn" is the request for BP1: submitting a draft opens the BP1 request at once, and
  the owner answers BP1's questions in the decision (approval needs the must-hold ones).
- Withdrawing needs a reason.
- Only someone who may own projects is made owner (``check_owner_eligible``; who that is,
  the caller knows: a leader, a member of the owner group, or granted by an administrator).
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from app.workflow.actions import DECISIONS, Action
from app.workflow.evaluation import ChecklistResult
from app.workflow.gates import Gate, RequestStatus
from app.workflow.i18n import N_
from app.workflow.roles import Role
from app.workflow.stages import Stage


class TransitionRefused(Exception):
    """An action that the rules do not allow, with a code for programs and a Norwegian
    message id for people (translate it when shown: ``_(exc.message)``).

    Codes: ``stage_closed``, ``stage_forbids``, ``role_forbids``, ``not_owner``,
    ``request_open``, ``checklist_locked``, ``no_request``, ``comment_required``,
    ``postpone_date``, ``checklist_blocking``, ``approval_blocking``, ``reason_required``,
    ``owner_is_manager``, ``owner_not_eligible``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        #: stable machine-readable reason
        self.code = code
        #: Norwegian message id
        self.message = message

    @property
    def is_forbidden(self) -> bool:
        """True when the person lacks the role (HTTP 403); otherwise the action does not
        fit the project's state or the input is incomplete (409 / 422)."""
        return self.code in _ROLE_CODES

    def __repr__(self) -> str:
        return f"TransitionRefused({self.code!r}, {self.message!r})"


#: refusal codes that mean "you may not", as opposed to "not now" or "not like this"
_ROLE_CODES = frozenset({"role_forbids", "not_owner"})


_SUBMITTER = frozenset({Role.SUBMITTER})
_OWNER = frozenset({Role.OWNER})
_SUBMITTER_OR_OWNER = frozenset({Role.SUBMITTER, Role.OWNER})
_MANAGER_OR_OWNER = frozenset({Role.MANAGER, Role.OWNER})
_OWNER_OR_ADMIN = frozenset({Role.OWNER, Role.ADMIN})

#: who decides at every gate: the owner; the admin never decides in the owner's place
DECIDERS = _OWNER
_DECIDED_BY_OWNER = {decision: DECIDERS for decision in DECISIONS}


def decides_gates(roles: Iterable[Role | str]) -> bool:
    """Is a person with these roles on a project the one who decides its gates (whether or
    not a request waits now)?"""
    return bool(_as_roles(roles) & DECIDERS)

#: actions in a project stage (concept … realisation): the manager prepares, the owner decides
_PROJECT_STAGE = {
    Action.REQUEST_GATE: _MANAGER_OR_OWNER,
    Action.ANSWER_CHECKLIST: _MANAGER_OR_OWNER,
    **_DECIDED_BY_OWNER,
    Action.TRANSFER_OWNER: _OWNER_OR_ADMIN,
}

#: who may take which action in each stage; an action missing from a stage is refused there
RULES: Mapping[Stage, Mapping[Action, frozenset[Role]]] = MappingProxyType({
    stage: MappingProxyType(actions) for stage, actions in {
        Stage.DRAFT: {
            Action.SUBMIT: _SUBMITTER,
            Action.EDIT_DRAFT: _SUBMITTER,
            Action.DELETE_DRAFT: _SUBMITTER,
        },
        # There is no manager yet: the submitter prepares, the proposed owner decides.
        Stage.IDEA: {
            Action.REQUEST_GATE: _SUBMITTER_OR_OWNER,
            Action.ANSWER_CHECKLIST: _SUBMITTER_OR_OWNER,
            **_DECIDED_BY_OWNER,
            Action.WITHDRAW: _SUBMITTER,
            Action.TRANSFER_OWNER: _OWNER_OR_ADMIN,
        },
        # The submitter may withdraw until BP2 has approved planning.
        Stage.CONCEPT: {**_PROJECT_STAGE, Action.WITHDRAW: _SUBMITTER},
        Stage.PLANNING: _PROJECT_STAGE,
        Stage.EXECUTION: _PROJECT_STAGE,
        Stage.HANDOVER: _PROJECT_STAGE,
        Stage.REALISATION: _PROJECT_STAGE,
        Stage.COMPLETED: {},
        Stage.REJECTED: {},
        Stage.WITHDRAWN: {},
    }.items()
})

#: the message when the person lacks every role the table asks for, by those roles
_ROLE_MESSAGES: dict[frozenset[Role], str] = {
    _SUBMITTER: N_("Bare innsenderen kan gjøre dette."),
    _SUBMITTER_OR_OWNER: N_("Bare innsenderen eller prosjekteier kan gjøre dette."),
    _MANAGER_OR_OWNER: N_("Bare prosjektleder eller prosjekteier kan gjøre dette."),
    _OWNER_OR_ADMIN: N_("Bare prosjekteier eller en administrator kan gjøre dette."),
}


@dataclass(frozen=True)
class GateState:
    """The workflow state of one project: its stage and the open request, if any.

    Strings are accepted for ``stage`` and ``open_request`` (as read from the database)
    and turned into the enums. Raises ValueError for a state that cannot occur.
    """

    stage: Stage
    #: the request waiting for a decision: pending, postponed, or None
    open_request: RequestStatus | None = None
    #: the date a postponed request is postponed to (only while postponed)
    postponed_until: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "stage", Stage(self.stage))
        if self.open_request is not None:
            status = RequestStatus(self.open_request)
            object.__setattr__(self, "open_request", status)
            if not status.is_open:
                raise ValueError(f"a {status} request is closed, not open")
            if Gate.for_stage(self.stage) is None:
                raise ValueError(f"stage {self.stage} has no gate to request")
        if (self.open_request is RequestStatus.POSTPONED) != (self.postponed_until is not None):
            raise ValueError("postponed_until is set exactly when the request is postponed")

    @property
    def gate(self) -> Gate | None:
        """The gate out of the current stage."""
        return Gate.for_stage(self.stage)

    @property
    def has_open_request(self) -> bool:
        return self.open_request is not None


@dataclass(frozen=True)
class Outcome:
    """What ``perform`` did. The caller stores ``state`` and records the request's change."""

    action: Action
    previous_stage: Stage
    #: the project's state after the action
    state: GateState
    #: the gate out of the stage the action was taken in (None in draft)
    gate: Gate | None
    #: the status the action gave the request; None when it did not touch a request
    request_status: RequestStatus | None = None
    #: a new request was opened (request_gate)
    request_opened: bool = False
    #: the open request was closed (approve, reject, return, or withdraw while open)
    request_closed: bool = False
    #: the comment, trimmed
    comment: str = ""
    #: request_gate or submit with a checklist: ChecklistResult.snapshot(), to freeze in
    #: the request
    checklist_snapshot: list[dict[str, Any]] | None = field(default=None, hash=False)

    @property
    def stage(self) -> Stage:
        """The project's stage after the action."""
        return self.state.stage

    @property
    def stage_changed(self) -> bool:
        return self.state.stage is not self.previous_stage

    @property
    def postponed_until(self) -> date | None:
        return self.state.postponed_until


def _as_roles(roles: Iterable[Role | str]) -> frozenset[Role]:
    if isinstance(roles, str):  # a lone role would be split into letters
        raise TypeError("roles must be a collection of Role, not a single string")
    return frozenset(Role(role) for role in roles)


def _refusal(state: GateState, action: Action, roles: frozenset[Role]) -> TransitionRefused | None:
    """The first table or state rule that refuses the action, or None."""
    permitted = RULES[state.stage].get(action)
    if permitted is None:
        if state.stage.is_terminal:
            return TransitionRefused("stage_closed", N_("Saken er avsluttet og kan ikke endres."))
        return TransitionRefused("stage_forbids", N_("Dette kan ikke gjøres i denne fasen."))
    if not roles & permitted:
        if action in DECISIONS:
            return TransitionRefused(
                "not_owner", N_("Bare prosjekteier kan ta denne beslutningen."))
        # Every role set in RULES has its message; a new one needs one too (KeyError).
        return TransitionRefused("role_forbids", _ROLE_MESSAGES[permitted])
    if action is Action.REQUEST_GATE and state.has_open_request:
        return TransitionRefused(
            "request_open", N_("Det finnes allerede en forespørsel som venter på beslutning."))
    if action is Action.ANSWER_CHECKLIST and state.has_open_request:
        return TransitionRefused(
            "checklist_locked",
            N_("Sjekklisten kan ikke endres mens en forespørsel venter på beslutning."))
    if action in DECISIONS and not state.has_open_request:
        return TransitionRefused("no_request", N_("Ingen forespørsel venter på beslutning."))
    return None


def can(state: GateState, action: Action | str, roles: Iterable[Role | str]) -> bool:
    """True when the table and the project's state allow the action for these roles.

    Input rules (comment, date, checklist) are left to ``perform``.
    """
    return _refusal(state, Action(action), _as_roles(roles)) is None


def allowed_actions(state: GateState, roles: Iterable[Role | str]) -> set[Action]:
    """The actions ``can`` allows, i.e. the buttons to show (in Action order: iterate
    ``Action`` and test membership)."""
    roles = _as_roles(roles)
    return {action for action in Action if _refusal(state, action, roles) is None}


def perform(state: GateState, action: Action | str, roles: Iterable[Role | str], *,
            today: date, postpone_until: date | None = None, comment: str = "",
            checklist: ChecklistResult | None = None) -> Outcome:
    """Perform ``action`` on a project in ``state`` by a person holding ``roles`` on it.

    Returns the Outcome, or raises TransitionRefused. ``postpone_until`` is read only by
    postpone; ``checklist`` by request_gate and submit (nothing may block the request) and
    by approve (the owner's own questions must allow approval). A checklist for another
    gate is a programming error: ValueError. Owner ≠ manager and the owner's eligibility
    are checked separately, see ``check_owner_not_manager`` and ``check_owner_eligible``.
    """
    action = Action(action)
    roles = _as_roles(roles)
    refusal = _refusal(state, action, roles)
    if refusal is not None:
        raise refusal
    comment = (comment or "").strip()
    gate = state.gate
    result = dict(action=action, previous_stage=state.stage, gate=gate, comment=comment)

    if action in DECISIONS and action is not Action.APPROVE and not comment:
        raise TransitionRefused(
            "comment_required",
            N_("Skriv en begrunnelse. Den er påkrevd for alle beslutninger unntatt Godkjenn."))

    if action is Action.WITHDRAW and not comment:
        raise TransitionRefused("reason_required", N_("Skriv hvorfor prosjektet trekkes."))

    if action in (Action.SUBMIT, Action.REQUEST_GATE):
        # Sending an idea in is the request for BP1: the idea waits for its owner at once.
        stage = Stage.IDEA if action is Action.SUBMIT else state.stage
        result["gate"] = Gate.for_stage(stage)
        snapshot = None
        if checklist is not None:
            if checklist.gate is not result["gate"]:
                raise ValueError(f"checklist for {checklist.gate} given at {result['gate']}")
            if not checklist.can_request:
                raise TransitionRefused(
                    "checklist_blocking",
                    N_("Sjekklisten har punkter som må være oppfylt før du kan be om godkjenning."))
            snapshot = checklist.snapshot()
        return Outcome(state=GateState(stage, RequestStatus.PENDING),
                       request_status=RequestStatus.PENDING, request_opened=True,
                       checklist_snapshot=snapshot, **result)

    if action is Action.APPROVE:
        if checklist is not None:
            if checklist.gate is not gate:
                raise ValueError(f"checklist for {checklist.gate} given at {gate}")
            if not checklist.can_approve:
                raise TransitionRefused(
                    "approval_blocking",
                    N_("Du kan godkjenne når spørsmålene som må være oppfylt, er besvart med Ja "
                       "eller Ikke relevant. Ellers kan du avvise eller sende tilbake."))
        return Outcome(state=GateState(gate.to_stage), request_status=RequestStatus.APPROVED,
                       request_closed=True, **result)

    if action is Action.REJECT:
        return Outcome(state=GateState(Stage.REJECTED), request_status=RequestStatus.REJECTED,
                       request_closed=True, **result)

    if action is Action.SEND_BACK:
        return Outcome(state=GateState(state.stage), request_status=RequestStatus.RETURNED,
                       request_closed=True, **result)

    if action is Action.POSTPONE:
        if isinstance(postpone_until, datetime):
            postpone_until = postpone_until.date()
        if postpone_until is None or postpone_until <= today:
            raise TransitionRefused("postpone_date", N_("Velg en dato fram i tid for utsettelsen."))
        return Outcome(state=GateState(state.stage, RequestStatus.POSTPONED, postpone_until),
                       request_status=RequestStatus.POSTPONED, **result)

    if action is Action.WITHDRAW:
        if state.has_open_request:
            return Outcome(state=GateState(Stage.WITHDRAWN), request_status=RequestStatus.WITHDRAWN,
                           request_closed=True, **result)
        return Outcome(state=GateState(Stage.WITHDRAWN), **result)

    # edit_draft, delete_draft, answer_checklist, transfer_owner: the state stays as it is;
    # the caller makes the change the action names.
    return Outcome(state=state, **result)


def check_owner_eligible(eligible: bool) -> None:
    """Refuse to make someone owner who may not own projects.

    A prosjekteier is a leader with authority over the resources: someone the directory
    names as another person's leader, a member of the owner group, or someone an
    administrator has granted the role. The caller works out ``eligible``; call this
    wherever an owner is set or changed, and before every gate decision.
    """
    if not eligible:
        raise TransitionRefused(
            "owner_not_eligible",
            N_("Prosjekteier må være en leder med personalansvar, være med i "
               "prosjekteiergruppen eller ha fått rollen av en administrator."))


def check_owner_not_manager(owner_key: Hashable | None, manager_key: Hashable | None) -> None:
    """Refuse a project whose owner and manager would be the same person.

    Call it wherever either role is set and before every gate decision. The keys are any
    stable person id (user id, username); None means the role is vacant.
    """
    if owner_key is not None and owner_key == manager_key:
        raise TransitionRefused(
            "owner_is_manager", N_("Prosjektleder og prosjekteier kan ikke være samme person."))
