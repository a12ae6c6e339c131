"""What the gate checklists need to know about a project, gathered by the caller."""
from __future__ import annotations

from dataclasses import dataclass, fields

#: fewest characters (after trimming) for a need to count as clearly described
MIN_NEED_LENGTH = 20

#: values of ``personal_data`` and ``needs_ikt``: answered, or still to be clarified
CLARIFICATION_VALUES = ("yes", "no", "unknown")

#: values of ``dpia_status``, in the order a DPIA moves through them
DPIA_STATUSES = ("ikke_vurdert", "ikke_nodvendig", "pakrevd", "under_arbeid", "ferdig")

#: DPIA statuses that let a project processing personal data pass BP3
DPIA_SETTLED = frozenset({"ikke_nodvendig", "ferdig"})


def is_need_described(text: str | None) -> bool:
    """True when the need text is long enough to count as described (for ``need_described``)."""
    return len((text or "").strip()) >= MIN_NEED_LENGTH


@dataclass(frozen=True)
class ProjectFacts:
    """Facts about one project that the derived checklist items are ticked from.

    ``None`` means *not known yet* (the data does not exist in the application yet, e.g.
    before the plan tabs are built): every derived item that reads a ``None`` fact is left
    out of the checklist rather than failed. Give ``False`` or ``0`` when the data exists
    and is missing.
    """

    #: the need is described with at least MIN_NEED_LENGTH characters (is_need_described)
    need_described: bool | None = None
    #: a (proposed) project owner is set
    has_owner: bool | None = None
    #: a project manager is appointed
    has_manager: bool | None = None
    #: owner and manager are different people; None while there is no manager
    owner_differs_from_manager: bool | None = None
    #: a gevinstansvarlig is explicitly named (the owner standing in by default does not count)
    has_benefits_owner: bool | None = None
    #: does the project process personal data: "yes", "no" or "unknown"
    personal_data: str | None = None
    #: does the project need help from IKT: "yes", "no" or "unknown"
    needs_ikt: str | None = None
    #: a technical lead (teknisk ansvarlig) is appointed
    has_technical_lead: bool | None = None
    #: the zero alternative (today's situation carried on) is described
    zero_alternative_described: bool | None = None
    #: number of benefits in the benefits realisation plan
    benefit_count: int | None = None
    #: every benefit has an indicator, a baseline and a target value
    benefits_measurable: bool | None = None
    #: number of milestones in the plan
    milestone_count: int | None = None
    #: number of risks with probability and consequence assessed
    assessed_risk_count: int | None = None
    #: number of stakeholders in the stakeholder analysis
    stakeholder_count: int | None = None
    #: one of DPIA_STATUSES
    dpia_status: str | None = None
    #: the latest status report is published (not only a draft)
    latest_status_report_published: bool | None = None
    #: the benefits realisation plan is marked as reviewed before handover
    benefits_plan_reviewed: bool | None = None
    #: the benefits agreement is acknowledged by the gevinstansvarlig and the owner
    benefits_agreement_acknowledged: bool | None = None
    #: at least one benefit has measurements recorded against its target
    has_benefit_measurements: bool | None = None

    def __post_init__(self) -> None:
        # A typo in a coded value would silently tick or fail an item; refuse it instead.
        for name in ("personal_data", "needs_ikt"):
            value = getattr(self, name)
            if value is not None and value not in CLARIFICATION_VALUES:
                raise ValueError(f"{name} must be one of {CLARIFICATION_VALUES}, not {value!r}")
        if self.dpia_status is not None and self.dpia_status not in DPIA_STATUSES:
            raise ValueError(
                f"dpia_status must be one of {DPIA_STATUSES}, not {self.dpia_status!r}")
        counts = ("benefit_count", "milestone_count", "assessed_risk_count", "stakeholder_count")
        for name in counts:
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} cannot be negative")


#: names of all ProjectFacts fields
FACT_NAMES = frozenset(f.name for f in fields(ProjectFacts))
