"""The checklist of each gate, condensed from Prosjektveiviseren, and its evaluation.

An item is either *derived* (ticked from the project's data, see ProjectFacts) or
*manual* (answered Ja / Nei / Ikke relevant, with a comment for anything but Ja). Most
manual items are answered by the person asking for the decision; the BP1 questions
(fits the strategy, a project and not line work …) are answered by the owner in the
decision form itself (``at_decision``), because the employee who sends in an idea often
cannot judge them.

An item that *must hold* stops a request for a decision when it fails or is unanswered
(an owner's item stops approval instead). Items that need not hold ("anbefalt") only
warn: unanswered, answered Nei or failing, they never block anything. Evaluating a
checklist for a project is in app/workflow/evaluation.py.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from app.workflow.facts import DPIA_SETTLED, FACT_NAMES, ProjectFacts
from app.workflow.gates import Gate
from app.workflow.i18n import N_, Labelled, name_members


class ItemKind(StrEnum):
    """How an item gets its answer."""

    #: ticked from the project's data
    DERIVED = "derived"
    #: answered by hand, with a comment unless Ja
    MANUAL = "manual"


class Tab(StrEnum):
    """The project tab where the data behind an item is entered, for a "fix it" link."""

    OVERVIEW = "overview"
    ROLES = "roles"
    PLAN = "plan"
    MILESTONES = "milestones"
    BENEFITS = "benefits"
    RISKS = "risks"
    STAKEHOLDERS = "stakeholders"
    STATUS = "status"
    CHANGES = "changes"
    TASKS = "tasks"


class AnswerValue(Labelled):
    """An answer to a manual item."""

    JA = "ja"
    NEI = "nei"
    #: counts as holding, with a comment saying why it does not apply
    IKKE_RELEVANT = "ikke_relevant"


class ItemState(StrEnum):
    """The state of one item in an evaluated checklist."""

    #: holds (derived), or answered Ja or Ikke relevant (manual)
    OK = "ok"
    #: a must-hold item that does not hold: blocks a request
    FAILED = "failed"
    #: an item that does not hold but need not: shown, does not block
    WARNING = "warning"
    #: a manual item without an answer: blocks a request when the item must hold
    UNANSWERED = "unanswered"
    #: a manual answer without the comment it needs (or an unknown value): blocks a request
    #: when the item must hold
    INVALID = "invalid"


#: item states that stop a request for a decision (for items that must hold)
BLOCKING_STATES = frozenset({ItemState.FAILED, ItemState.UNANSWERED, ItemState.INVALID})


#: Norwegian answer texts
_ANSWER_LABELS: dict[AnswerValue, str] = {
    AnswerValue.JA: N_("Ja"),
    AnswerValue.NEI: N_("Nei"),
    AnswerValue.IKKE_RELEVANT: N_("Ikke relevant"),
}
name_members(AnswerValue, _ANSWER_LABELS)


class Answer(NamedTuple):
    """A stored answer to a manual item. ``value`` is an AnswerValue or its code."""

    value: AnswerValue | str
    comment: str = ""


@dataclass(frozen=True)
class ChecklistItem:
    """One point on a gate's checklist."""

    #: stable snake_case id, unique within the gate; stored with the answers
    key: str
    #: the statement to check, in Norwegian (message id)
    text: str
    kind: ItemKind
    #: True → blocks a request when it fails; False → only a warning
    must_hold: bool
    #: the project tab where the underlying data is fixed
    tab: Tab
    #: derived items: the ProjectFacts fields read; the item is left out while any is None
    facts: tuple[str, ...] = ()
    #: derived items: does the item hold, given facts with none of ``facts`` None
    predicate: Callable[[ProjectFacts], bool] | None = None
    #: derived items: does the item apply at all (e.g. the DPIA only with personal data)
    applies: Callable[[ProjectFacts], bool] | None = None
    #: manual items: answered by the owner in the decision form, not before the request
    at_decision: bool = False

    def __post_init__(self) -> None:
        if self.kind is ItemKind.DERIVED:
            if not self.facts or self.predicate is None:
                raise ValueError(f"derived item {self.key} needs facts and a predicate")
            unknown = set(self.facts) - FACT_NAMES
            if unknown:
                raise ValueError(f"item {self.key} reads unknown facts {sorted(unknown)}")
            if self.at_decision:
                raise ValueError(f"derived item {self.key} cannot be answered at the decision")
        elif self.facts or self.predicate is not None or self.applies is not None:
            raise ValueError(f"manual item {self.key} cannot read facts")

    @property
    def fact(self) -> str | None:
        """The main fact a derived item is ticked from (None for manual items)."""
        return self.facts[0] if self.facts else None

    def holds_for(self, facts: ProjectFacts) -> bool | None:
        """Whether a derived item holds; None when it is left out (a fact is not known yet,
        or the item does not apply to this project)."""
        if self.kind is not ItemKind.DERIVED:
            raise TypeError(f"{self.key} is answered by hand, not derived")
        if any(getattr(facts, name) is None for name in self.facts):
            return None
        if self.applies is not None and not self.applies(facts):
            return None
        return bool(self.predicate(facts))


def _derived(key: str, text: str, *, facts: tuple[str, ...], holds: Callable[[ProjectFacts], bool],
             tab: Tab, must_hold: bool = True,
             applies: Callable[[ProjectFacts], bool] | None = None) -> ChecklistItem:
    return ChecklistItem(key, text, ItemKind.DERIVED, must_hold, tab, facts, holds, applies)


def _manual(key: str, text: str, *, tab: Tab, must_hold: bool = True,
            at_decision: bool = False) -> ChecklistItem:
    return ChecklistItem(key, text, ItemKind.MANUAL, must_hold, tab, at_decision=at_decision)


# Items used at more than one gate.
_OWNER_NOT_MANAGER = _derived(
    "owner_not_manager", N_("Prosjektleder og prosjekteier er ulike personer"),
    facts=("owner_differs_from_manager",), holds=lambda f: f.owner_differs_from_manager,
    tab=Tab.ROLES)

#: the items of each gate, in the order shown: derived first, then manual
CHECKLISTS: Mapping[Gate, tuple[ChecklistItem, ...]] = MappingProxyType({
    Gate.BP1: (
        _derived("need_described", N_("Behovet er tydelig beskrevet"),
                 facts=("need_described",), holds=lambda f: f.need_described, tab=Tab.OVERVIEW),
        _derived("owner_proposed", N_("Prosjekteier er foreslått"),
                 facts=("has_owner",), holds=lambda f: f.has_owner, tab=Tab.ROLES),
        # "Send inn" is the request for BP1; the owner answers these in the decision.
        _manual("fits_strategy", N_("Ideen passer med kommunens strategi og planer"),
                tab=Tab.OVERVIEW, at_decision=True),
        _manual("is_project", N_("Dette er et prosjekt og ikke ordinært linjearbeid"),
                tab=Tab.OVERVIEW, at_decision=True),
        # Who leads the concept work and how it is paid for are often settled at the
        # start of the concept phase itself, so a considered "Nei" only warns.
        _manual("concept_lead_clarified", N_("Det er avklart hvem som leder konseptarbeidet"),
                tab=Tab.ROLES, must_hold=False, at_decision=True),
        _manual("concept_funding_clarified", N_("Finansiering av konseptfasen er avklart"),
                tab=Tab.PLAN, must_hold=False, at_decision=True),
    ),
    Gate.BP2: (
        _derived("manager_appointed", N_("Prosjektleder er utnevnt"),
                 facts=("has_manager",), holds=lambda f: f.has_manager, tab=Tab.ROLES),
        _OWNER_NOT_MANAGER,
        _derived("benefits_owner_appointed", N_("Gevinstansvarlig er utnevnt"),
                 facts=("has_benefits_owner",), holds=lambda f: f.has_benefits_owner,
                 tab=Tab.ROLES),
        _derived("zero_alternative_described", N_("Nullalternativet er beskrevet"),
                 facts=("zero_alternative_described",),
                 holds=lambda f: f.zero_alternative_described, tab=Tab.PLAN),
        _derived("benefit_described", N_("Minst én gevinst er beskrevet"),
                 facts=("benefit_count",), holds=lambda f: f.benefit_count >= 1,
                 tab=Tab.BENEFITS),
        _derived("ikt_need_clarified", N_("Behov for hjelp fra IKT er avklart"),
                 facts=("needs_ikt",), holds=lambda f: f.needs_ikt != "unknown",
                 tab=Tab.OVERVIEW, must_hold=False),
        _derived("personal_data_clarified", N_("Behandling av personopplysninger er avklart"),
                 facts=("personal_data",), holds=lambda f: f.personal_data != "unknown",
                 tab=Tab.OVERVIEW, must_hold=False),
        _manual("proposal_prepared", N_("Prosjektforslaget er utarbeidet"), tab=Tab.PLAN),
        _manual("alternatives_compared", N_("Alternativer er sammenlignet"), tab=Tab.PLAN),
        _manual("benefits_analysed", N_("Gevinstene er analysert (kvantitative og kvalitative)"),
                tab=Tab.BENEFITS),
        _manual("security_privacy_clarified",
                N_("Behov for informasjonssikkerhet og personvern er avklart"), tab=Tab.RISKS),
    ),
    Gate.BP3: (
        _derived("milestones_planned", N_("Planen er brutt ned i milepæler"),
                 facts=("milestone_count",), holds=lambda f: f.milestone_count >= 1,
                 tab=Tab.MILESTONES),
        _derived("stakeholder_analysis_done", N_("Interessentanalyse er gjort"),
                 facts=("stakeholder_count",), holds=lambda f: f.stakeholder_count >= 1,
                 tab=Tab.STAKEHOLDERS, must_hold=False),
        _derived("risk_analysis_done", N_("Risikoanalyse er gjort (minst én vurdert risiko)"),
                 facts=("assessed_risk_count",), holds=lambda f: f.assessed_risk_count >= 1,
                 tab=Tab.RISKS),
        # "Every benefit is measurable" is vacuously true without benefits; a plan with
        # no benefit at all is not a benefits realisation plan.
        _derived("benefits_measurable",
                 N_("Gevinstrealiseringsplanen har indikator, nullpunkt og målverdi for "
                    "hver gevinst"),
                 facts=("benefits_measurable", "benefit_count"),
                 holds=lambda f: f.benefits_measurable and f.benefit_count >= 1,
                 tab=Tab.BENEFITS),
        # "unknown" personal data needs a settled DPIA too: either the DPIA is done or the
        # assessment concluded that none is needed.
        _derived("dpia_settled",
                 N_("DPIA er ferdig eller ikke nødvendig når personopplysninger behandles"),
                 facts=("personal_data", "dpia_status"),
                 holds=lambda f: f.dpia_status in DPIA_SETTLED,
                 applies=lambda f: f.personal_data in ("yes", "unknown"),
                 tab=Tab.TASKS),
        _OWNER_NOT_MANAGER,
        _manual("benefits_plan_with_benefits_owner",
                N_("Gevinstrealiseringsplanen er utarbeidet sammen med gevinstansvarlig"),
                tab=Tab.BENEFITS),
        _manual("line_capacity", N_("Linjen har kapasitet til å realisere gevinstene"),
                tab=Tab.BENEFITS),
        _manual("infosec_risk_assessed", N_("Risikovurdering av informasjonssikkerhet er gjort"),
                tab=Tab.RISKS),
        _manual("residual_risk_acceptable", N_("Gjenværende risiko er akseptabel"),
                tab=Tab.RISKS),
    ),
    Gate.BP4: (
        _derived("status_report_published", N_("Siste statusrapport er publisert"),
                 facts=("latest_status_report_published",),
                 holds=lambda f: f.latest_status_report_published, tab=Tab.STATUS),
        _derived("benefits_plan_reviewed", N_("Gevinstrealiseringsplanen er gjennomgått"),
                 facts=("benefits_plan_reviewed",), holds=lambda f: f.benefits_plan_reviewed,
                 tab=Tab.BENEFITS),
        _derived("benefits_follow_up_named", N_("En navngitt person følger opp gevinstene"),
                 facts=("has_benefits_owner",), holds=lambda f: f.has_benefits_owner,
                 tab=Tab.ROLES),
        _manual("deliverables_match_plan", N_("Leveransene svarer til plan og mål"),
                tab=Tab.PLAN),
        _manual("line_ready", N_("Linjen er klar (opplæring og rutiner)"), tab=Tab.PLAN),
        _manual("operations_agreements", N_("Driftsavtaler er på plass"), tab=Tab.TASKS),
    ),
    Gate.BP5: (
        _derived("benefits_agreement_acknowledged",
                 N_("Gevinstavtalen er kvittert ut av gevinstansvarlig og prosjekteier"),
                 facts=("benefits_agreement_acknowledged",),
                 holds=lambda f: f.benefits_agreement_acknowledged, tab=Tab.BENEFITS),
        _manual("final_report_written", N_("Sluttrapport med erfaringer er skrevet"),
                tab=Tab.STATUS),
        _manual("benefits_plan_handed_over",
                N_("Gevinstrealiseringsplanen er overlevert til linjen"),
                tab=Tab.BENEFITS),
    ),
    Gate.BP6: (
        _derived("benefits_measured", N_("Gevinstene er målt mot målene"),
                 facts=("has_benefit_measurements",), holds=lambda f: f.has_benefit_measurements,
                 tab=Tab.BENEFITS),
        _manual("gaps_explained",
                N_("Store avvik mellom forventet og oppnådd gevinst er forklart"),
                tab=Tab.BENEFITS),
        _manual("further_measures_decided", N_("Videre tiltak er besluttet, eller ingen trengs"),
                tab=Tab.BENEFITS),
    ),
})


def items_for(gate: Gate | str) -> tuple[ChecklistItem, ...]:
    """Every item of the gate's checklist, including derived items that may be left out."""
    return CHECKLISTS[Gate.parse(gate)]


def manual_items(gate: Gate | str) -> tuple[ChecklistItem, ...]:
    """The items of the gate that are answered by hand (before the request or at the decision)."""
    return tuple(item for item in items_for(gate) if item.kind is ItemKind.MANUAL)


def request_items(gate: Gate | str) -> tuple[ChecklistItem, ...]:
    """The hand-answered items the person asking for the decision answers (the checklist
    form on the gate page)."""
    return tuple(item for item in manual_items(gate) if not item.at_decision)


def decision_items(gate: Gate | str) -> tuple[ChecklistItem, ...]:
    """The items the owner answers in the decision form (BP1's questions)."""
    return tuple(item for item in manual_items(gate) if item.at_decision)
