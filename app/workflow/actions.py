"""The things a person can do to a project's workflow state (one button each)."""
from __future__ import annotations

from app.workflow.i18n import N_, Labelled, name_members


class Action(Labelled):
    """An action on a project. The value is the code used in forms, URLs and the audit log."""

    #: send a private draft in as an idea (draft → idea)
    SUBMIT = "submit"
    EDIT_DRAFT = "edit_draft"
    DELETE_DRAFT = "delete_draft"
    #: ask the owner for a decision at the gate out of the current stage
    REQUEST_GATE = "request_gate"
    APPROVE = "approve"
    REJECT = "reject"
    #: send back for revision; ``return`` is a keyword, hence the Python name
    SEND_BACK = "return"
    #: alias of SEND_BACK, for code that reads better with the stored value
    RETURN = "return"
    POSTPONE = "postpone"
    WITHDRAW = "withdraw"
    #: answer the manual items of the gate's checklist
    ANSWER_CHECKLIST = "answer_checklist"
    #: hand the owner role to someone else
    TRANSFER_OWNER = "transfer_owner"

    @property
    def is_decision(self) -> bool:
        """True for the owner's four gate decisions."""
        return self in DECISIONS


#: the owner's gate decisions; each needs an open request
DECISIONS = frozenset({Action.APPROVE, Action.REJECT, Action.SEND_BACK, Action.POSTPONE})

#: what the owner did, as the history, the notices and the conflict messages say it
#: ("Kari Nordmann godkjente BP2"), in the order the decision form offers them
DECISION_VERBS: dict[Action, str] = {
    Action.APPROVE: N_("godkjente"),
    Action.REJECT: N_("avviste"),
    Action.SEND_BACK: N_("sendte tilbake"),
    Action.POSTPONE: N_("utsatte"),
}


def decision_verb(code: str | None) -> str:
    """The verb (message id) for a stored decision code; an unknown code as it is."""
    return DECISION_VERBS.get(code, code or "")

#: Norwegian button texts
_LABELS: dict[Action, str] = {
    Action.SUBMIT: N_("Send inn"),
    Action.EDIT_DRAFT: N_("Rediger kladd"),
    Action.DELETE_DRAFT: N_("Slett kladd"),
    Action.REQUEST_GATE: N_("Be om godkjenning"),
    Action.APPROVE: N_("Godkjenn"),
    Action.REJECT: N_("Avvis"),
    Action.SEND_BACK: N_("Send tilbake"),
    Action.POSTPONE: N_("Utsett"),
    Action.WITHDRAW: N_("Trekk"),
    Action.ANSWER_CHECKLIST: N_("Svar på sjekklisten"),
    Action.TRANSFER_OWNER: N_("Overfør prosjekteierskapet"),
}
name_members(Action, _LABELS)
