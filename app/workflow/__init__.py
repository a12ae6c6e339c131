"""The phase-gate rules of Faseport, after Prosjektveiviseren: stages, gates BP1–BP6,
who may do what, the gate checklists and the one function that performs a transition.

Plain Python: no Flask, no SQLAlchemy. The caller loads the project, works out the acting
person's roles on it and the project's facts, calls ``perform`` (or ``can`` /
``allowed_actions`` to decide which buttons to show) and stores the Outcome. User-facing
text is Norwegian bokmål marked with ``N_``; translate it with gettext where it is shown.
"""
from app.workflow.actions import DECISION_VERBS, DECISIONS, Action, decision_verb
from app.workflow.checklists import (
    CHECKLISTS,
    Answer,
    AnswerValue,
    ChecklistItem,
    ItemKind,
    ItemState,
    Tab,
    decision_items,
    items_for,
    manual_items,
    request_items,
)
from app.workflow.evaluation import CheckedItem, ChecklistResult, evaluate, validate_answer
from app.workflow.facts import (
    CLARIFICATION_VALUES,
    DPIA_STATUSES,
    MIN_NEED_LENGTH,
    ProjectFacts,
    is_need_described,
)
from app.workflow.gates import Gate, RequestStatus
from app.workflow.i18n import N_
from app.workflow.roles import Role
from app.workflow.rules import (
    RULES,
    GateState,
    Outcome,
    TransitionRefused,
    allowed_actions,
    can,
    check_owner_eligible,
    check_owner_not_manager,
    decides_gates,
    perform,
)
from app.workflow.stages import PHASES, Stage

__all__ = [
    "Action", "DECISION_VERBS", "DECISIONS", "decision_verb",
    "Answer", "AnswerValue", "CHECKLISTS", "CheckedItem", "ChecklistItem", "ChecklistResult",
    "ItemKind", "ItemState", "Tab", "decision_items", "evaluate", "items_for", "manual_items",
    "request_items", "validate_answer",
    "CLARIFICATION_VALUES", "DPIA_STATUSES", "MIN_NEED_LENGTH", "ProjectFacts",
    "is_need_described",
    "Gate", "RequestStatus",
    "N_",
    "Role",
    "RULES", "GateState", "Outcome", "TransitionRefused", "allowed_actions", "can",
    "check_owner_eligible", "check_owner_not_manager", "decides_gates", "perform",
    "PHASES", "Stage",
]
