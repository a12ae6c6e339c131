"""The decision points (beslutningspunkter) BP1–BP6 between the stages, and the status of a
request for a gate decision."""
from __future__ import annotations

from enum import StrEnum

from app.workflow.i18n import N_, Labelled, name_members
from app.workflow.stages import Stage


class Gate(StrEnum):
    """A decision point. The value ("BP1" …) is both the stored code and the label."""

    BP1 = "BP1"
    BP2 = "BP2"
    BP3 = "BP3"
    BP4 = "BP4"
    BP5 = "BP5"
    BP6 = "BP6"

    @property
    def label(self) -> str:
        """The short name shown everywhere, "BP1" … "BP6" (the same in every language)."""
        return self.value

    @property
    def number(self) -> int:
        """1 … 6."""
        return int(self.value[2:])

    @property
    def from_stage(self) -> Stage:
        """The stage the gate leads out of."""
        return _STAGES[self][0]

    @property
    def to_stage(self) -> Stage:
        """The stage that approval leads into (always the next one on the main line)."""
        return _STAGES[self][1]

    @property
    def question(self) -> str:
        """The question the owner answers at the gate (Norwegian message id)."""
        return _QUESTIONS[self]

    @classmethod
    def for_stage(cls, stage: Stage | str) -> Gate | None:
        """The gate out of ``stage``, or None for draft, completed and the side exits."""
        return _GATE_OUT_OF.get(Stage(stage))

    @classmethod
    def parse(cls, text: str) -> Gate:
        """The gate named by ``text``, ignoring case and surrounding space ("bp3" → BP3).

        Raises ValueError for anything else, so that a bad URL part becomes a 404.
        """
        if isinstance(text, str):
            try:
                return cls(text.strip().upper())
            except ValueError:
                pass
        raise ValueError(f"not a gate: {text!r}")


#: (from, to) of each gate; approval moves exactly one step along the main line
_STAGES: dict[Gate, tuple[Stage, Stage]] = {
    Gate.BP1: (Stage.IDEA, Stage.CONCEPT),
    Gate.BP2: (Stage.CONCEPT, Stage.PLANNING),
    Gate.BP3: (Stage.PLANNING, Stage.EXECUTION),
    Gate.BP4: (Stage.EXECUTION, Stage.HANDOVER),
    Gate.BP5: (Stage.HANDOVER, Stage.REALISATION),
    Gate.BP6: (Stage.REALISATION, Stage.COMPLETED),
}

#: the gate out of each stage that has one
_GATE_OUT_OF: dict[Stage, Gate] = {stages[0]: gate for gate, stages in _STAGES.items()}

#: the owner's question at each gate
_QUESTIONS: dict[Gate, str] = {
    Gate.BP1: N_("Skal ideen utredes videre i en konseptfase?"),
    Gate.BP2: N_("Skal prosjektet planlegges? Prosjekteier godkjenner prosjektforslaget."),
    Gate.BP3: N_("Skal prosjektet gjennomføres? Prosjekteier godkjenner styringsdokumentet."),
    Gate.BP4: N_("Er prosjektet klart til å avsluttes og overleveres til linjen?"),
    Gate.BP5: N_("Kan prosjektet avsluttes?"),
    Gate.BP6: N_("Er gevinstarbeidet fullført?"),
}


class RequestStatus(Labelled):
    """The status of a request for a gate decision ("Be om godkjenning").

    A request is *open* while pending or postponed; every other status closes it.
    """

    #: waiting for the owner's decision
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    #: sent back for revision; the stage is unchanged and the checklist can be answered again
    RETURNED = "returned"
    #: the owner will decide later; still open, with a date
    POSTPONED = "postponed"
    #: closed because the submitter withdrew the proposal while the request was open
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        """True while the request waits for a decision (pending or postponed)."""
        return self in (RequestStatus.PENDING, RequestStatus.POSTPONED)


#: Norwegian names of the request statuses
_REQUEST_LABELS: dict[RequestStatus, str] = {
    RequestStatus.PENDING: N_("Venter på beslutning"),
    RequestStatus.APPROVED: N_("Godkjent"),
    RequestStatus.REJECTED: N_("Avvist"),
    RequestStatus.RETURNED: N_("Sendt tilbake"),
    RequestStatus.POSTPONED: N_("Utsatt"),
    RequestStatus.WITHDRAWN: N_("Trukket"),
}
name_members(RequestStatus, _REQUEST_LABELS)
