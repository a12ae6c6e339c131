"""Evaluating a gate's checklist for one project: each item's state, what blocks a
request or an approval, what only warns, and the snapshot frozen in a request."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.workflow.checklists import (BLOCKING_STATES, CHECKLISTS, Answer, AnswerValue, ChecklistItem,
                                     ItemKind, ItemState)
from app.workflow.facts import ProjectFacts
from app.workflow.gates import Gate
from app.workflow.i18n import N_


def validate_answer(value: str | None, comment: str | None) -> str | None:
    """The Norwegian error message for a manual answer, or None when it is acceptable."""
    try:
        parsed = AnswerValue(value)
    except ValueError:
        return N_("Velg Ja, Nei eller Ikke relevant.")
    if parsed is not AnswerValue.JA and not (comment or "").strip():
        return N_("Skriv en kommentar når svaret ikke er Ja.")
    return None


@dataclass(frozen=True)
class CheckedItem:
    """An item of an evaluated checklist with its state (and the answer, if manual)."""

    item: ChecklistItem
    state: ItemState
    #: the manual answer; None for derived items, unanswered items and unknown values
    answer: AnswerValue | None = None
    #: the manual answer's comment, trimmed
    comment: str = ""

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def is_blocking(self) -> bool:
        """True when this item stops a request for a decision: a must-hold item that
        fails or lacks its answer, unless the owner answers it at the decision."""
        return (self.item.must_hold and not self.item.at_decision
                and self.state in BLOCKING_STATES)

    @property
    def blocks_approval(self) -> bool:
        """True when this item stops the owner from approving: one of the owner's own
        must-hold questions, not answered Ja or Ikke relevant."""
        return self.item.must_hold and self.item.at_decision and self.state in BLOCKING_STATES

    @property
    def is_warning(self) -> bool:
        """True for an "anbefalt" item that does not hold, is unanswered or is answered
        Nei: shown as a warning, never a block."""
        return not self.item.must_hold and self.state is not ItemState.OK

    @property
    def awaits_owner(self) -> bool:
        """True for an owner's question not answered yet."""
        return self.item.at_decision and self.state is ItemState.UNANSWERED

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form, as frozen in a request."""
        return {
            "key": self.item.key,
            "text": self.item.text,
            "kind": self.item.kind.value,
            "must_hold": self.item.must_hold,
            "at_decision": self.item.at_decision,
            "state": self.state.value,
            "answer": self.answer.value if self.answer is not None else None,
            "comment": self.comment,
        }


@dataclass(frozen=True)
class ChecklistResult:
    """A gate's checklist evaluated for one project at one moment."""

    gate: Gate
    #: the items in checklist order; derived items with unknown facts are left out
    items: tuple[CheckedItem, ...]

    @property
    def blocking(self) -> tuple[CheckedItem, ...]:
        """Items that stop a request: must-hold items that fail, or that the person asking
        has not answered (or answered without the comment it needs)."""
        return tuple(entry for entry in self.items if entry.is_blocking)

    @property
    def approval_blocking(self) -> tuple[CheckedItem, ...]:
        """The owner's must-hold questions that stop approval (not Ja or Ikke relevant)."""
        return tuple(entry for entry in self.items if entry.blocks_approval)

    @property
    def warnings(self) -> tuple[CheckedItem, ...]:
        """"Anbefalt" items that do not hold, whether failing, answered Nei or unanswered."""
        return tuple(entry for entry in self.items if entry.is_warning)

    @property
    def can_request(self) -> bool:
        """True when nothing blocks a request for the gate decision."""
        return not self.blocking

    @property
    def can_approve(self) -> bool:
        """True when the owner's own must-hold questions are answered so that the gate can
        be approved (other items were settled by the request)."""
        return not self.approval_blocking

    def snapshot(self) -> list[dict[str, Any]]:
        """The checklist as plain data (key, text, kind, must_hold, state, answer, comment)
        to freeze in the request, so later changes to the project do not alter it."""
        return [entry.to_dict() for entry in self.items]


def _check_manual(item: ChecklistItem, answer: Answer | tuple | None) -> CheckedItem:
    if answer is None:
        return CheckedItem(item, ItemState.UNANSWERED)
    value, comment = Answer(*answer)
    comment = (comment or "").strip()
    try:
        parsed = AnswerValue(value)
    except ValueError:
        # A stored value we do not know; treat it as an answer that has to be given again.
        return CheckedItem(item, ItemState.INVALID, None, comment)
    if validate_answer(parsed, comment) is not None:
        return CheckedItem(item, ItemState.INVALID, parsed, comment)
    if parsed is AnswerValue.NEI:
        state = ItemState.FAILED if item.must_hold else ItemState.WARNING
    else:
        state = ItemState.OK  # Ja, or Ikke relevant with its reason
    return CheckedItem(item, state, parsed, comment)


def evaluate(gate: Gate | str, facts: ProjectFacts,
             answers: Mapping[str, Answer | tuple[str, str]]) -> ChecklistResult:
    """Evaluate the gate's checklist for a project.

    ``answers`` maps manual item keys to their answers (plain ``(value, comment)`` tuples
    work too); answers to keys not on this gate's checklist are ignored. Derived items
    that read a fact that is None, or that do not apply to the project, are left out.
    """
    gate = Gate.parse(gate)
    checked: list[CheckedItem] = []
    for item in CHECKLISTS[gate]:
        if item.kind is ItemKind.DERIVED:
            holds = item.holds_for(facts)
            if holds is None:
                continue
            if holds:
                state = ItemState.OK
            else:
                state = ItemState.FAILED if item.must_hold else ItemState.WARNING
            checked.append(CheckedItem(item, state))
        else:
            checked.append(_check_manual(item, answers.get(item.key)))
    return ChecklistResult(gate, tuple(checked))
