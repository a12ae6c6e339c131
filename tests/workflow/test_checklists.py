"""The gate checklists: their items, ticking derived items from facts, manual answers,
blocking versus warning, and the snapshot frozen in a request."""
import json
import re
from dataclasses import replace

import pytest

from app.workflow import (
    Answer,
    AnswerValue,
    ChecklistItem,
    Gate,
    ItemKind,
    ItemState,
    ProjectFacts,
    Tab,
    evaluate,
    is_need_described,
    items_for,
    manual_items,
    validate_answer,
)

D, M = "derived", "manual"
MUST, WARN = True, False

#: every gate's items in order: (key, kind, must_hold, tab, text), after DOMAIN.md
CHECKLISTS = {
    "BP1": [
        ("need_described", D, MUST, "overview", "Behovet er tydelig beskrevet"),
        ("owner_proposed", D, MUST, "roles", "Prosjekteier er foreslått"),
        ("fits_strategy", M, MUST, "overview", "Ideen passer med kommunens strategi og planer"),
        ("is_project", M, MUST, "overview", "Dette er et prosjekt og ikke ordinært linjearbeid"),
        ("concept_lead_clarified", M, WARN, "roles",
         "Det er avklart hvem som leder konseptarbeidet"),
        ("concept_funding_clarified", M, WARN, "plan", "Finansiering av konseptfasen er avklart"),
    ],
    "BP2": [
        ("manager_appointed", D, MUST, "roles", "Prosjektleder er utnevnt"),
        ("owner_not_manager", D, MUST, "roles", "Prosjektleder og prosjekteier er ulike personer"),
        ("benefits_owner_appointed", D, MUST, "roles", "Gevinstansvarlig er utnevnt"),
        ("zero_alternative_described", D, MUST, "plan", "Nullalternativet er beskrevet"),
        ("benefit_described", D, MUST, "benefits", "Minst én gevinst er beskrevet"),
        ("ikt_need_clarified", D, WARN, "overview", "Behov for hjelp fra IKT er avklart"),
        ("personal_data_clarified", D, WARN, "overview",
         "Behandling av personopplysninger er avklart"),
        ("proposal_prepared", M, MUST, "plan", "Prosjektforslaget er utarbeidet"),
        ("alternatives_compared", M, MUST, "plan", "Alternativer er sammenlignet"),
        ("benefits_analysed", M, MUST, "benefits",
         "Gevinstene er analysert (kvantitative og kvalitative)"),
        ("security_privacy_clarified", M, MUST, "risks",
         "Behov for informasjonssikkerhet og personvern er avklart"),
    ],
    "BP3": [
        ("milestones_planned", D, MUST, "milestones", "Planen er brutt ned i milepæler"),
        ("stakeholder_analysis_done", D, WARN, "stakeholders", "Interessentanalyse er gjort"),
        ("risk_analysis_done", D, MUST, "risks",
         "Risikoanalyse er gjort (minst én vurdert risiko)"),
        ("benefits_measurable", D, MUST, "benefits",
         "Gevinstrealiseringsplanen har indikator, nullpunkt og målverdi for hver gevinst"),
        ("dpia_settled", D, MUST, "tasks",
         "DPIA er ferdig eller ikke nødvendig når personopplysninger behandles"),
        ("owner_not_manager", D, MUST, "roles", "Prosjektleder og prosjekteier er ulike personer"),
        ("benefits_plan_with_benefits_owner", M, MUST, "benefits",
         "Gevinstrealiseringsplanen er utarbeidet sammen med gevinstansvarlig"),
        ("line_capacity", M, MUST, "benefits", "Linjen har kapasitet til å realisere gevinstene"),
        ("infosec_risk_assessed", M, MUST, "risks",
         "Risikovurdering av informasjonssikkerhet er gjort"),
        ("residual_risk_acceptable", M, MUST, "risks", "Gjenværende risiko er akseptabel"),
    ],
    "BP4": [
        ("status_report_published", D, MUST, "status", "Siste statusrapport er publisert"),
        ("benefits_plan_reviewed", D, MUST, "benefits", "Gevinstrealiseringsplanen er gjennomgått"),
        ("benefits_follow_up_named", D, MUST, "roles", "En navngitt person følger opp gevinstene"),
        ("deliverables_match_plan", M, MUST, "plan", "Leveransene svarer til plan og mål"),
        ("line_ready", M, MUST, "plan", "Linjen er klar (opplæring og rutiner)"),
        ("operations_agreements", M, MUST, "tasks", "Driftsavtaler er på plass"),
    ],
    "BP5": [
        ("benefits_agreement_acknowledged", D, MUST, "benefits",
         "Gevinstavtalen er kvittert ut av gevinstansvarlig og prosjekteier"),
        ("final_report_written", M, MUST, "status", "Sluttrapport med erfaringer er skrevet"),
        ("benefits_plan_handed_over", M, MUST, "benefits",
         "Gevinstrealiseringsplanen er overlevert til linjen"),
    ],
    "BP6": [
        ("benefits_measured", D, MUST, "benefits", "Gevinstene er målt mot målene"),
        ("gaps_explained", M, MUST, "benefits",
         "Store avvik mellom forventet og oppnådd gevinst er forklart"),
        ("further_measures_decided", M, MUST, "benefits",
         "Videre tiltak er besluttet, eller ingen trengs"),
    ],
}

#: a project for which every derived item holds
GOOD = ProjectFacts(
    need_described=True, has_owner=True, has_manager=True, owner_differs_from_manager=True,
    has_benefits_owner=True, personal_data="yes", needs_ikt="no", has_technical_lead=True,
    zero_alternative_described=True, benefit_count=2, benefits_measurable=True,
    milestone_count=4, assessed_risk_count=3, stakeholder_count=5, dpia_status="ferdig",
    latest_status_report_published=True, benefits_plan_reviewed=True,
    benefits_agreement_acknowledged=True, has_benefit_measurements=True,
)


def all_ja(gate):
    return {key: Answer(AnswerValue.JA) for key, kind, *_ in CHECKLISTS[gate] if kind == M}


def states(result):
    return {entry.key: entry.state.value for entry in result.items}


@pytest.mark.parametrize("gate", CHECKLISTS)
def test_each_gate_has_exactly_these_items_in_this_order(gate):
    actual = [(i.key, i.kind.value, i.must_hold, i.tab.value, i.text) for i in items_for(gate)]
    assert actual == CHECKLISTS[gate]


def test_every_gate_has_a_checklist():
    assert set(CHECKLISTS) == {gate.value for gate in Gate}


@pytest.mark.parametrize("gate", CHECKLISTS)
def test_keys_are_stable_snake_case_and_unique_per_gate(gate):
    keys = [item.key for item in items_for(gate)]
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", key) for key in keys)
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("gate", CHECKLISTS)
def test_manual_items_are_the_form_fields(gate):
    expected = [key for key, kind, *_ in CHECKLISTS[gate] if kind == M]
    assert [item.key for item in manual_items(gate)] == expected


def test_derived_items_name_their_fact():
    item = items_for(Gate.BP3)[4]
    assert item.key == "dpia_settled"
    assert item.fact == "personal_data" and item.facts == ("personal_data", "dpia_status")
    assert items_for(Gate.BP1)[2].fact is None  # manual


@pytest.mark.parametrize("gate", CHECKLISTS)
def test_a_good_project_with_all_ja_passes_every_gate(gate):
    result = evaluate(gate, GOOD, all_ja(gate))
    assert [e.key for e in result.items] == [key for key, *_ in CHECKLISTS[gate]]
    assert set(states(result).values()) == {"ok"}
    assert result.can_request and result.blocking == () and result.warnings == ()


#: one fact changed from GOOD → the state of one item (everything else stays ok)
DERIVED_CASES = [
    ("BP1", {"need_described": False}, "need_described", "failed"),
    ("BP1", {"has_owner": False}, "owner_proposed", "failed"),
    ("BP2", {"has_manager": False}, "manager_appointed", "failed"),
    ("BP2", {"owner_differs_from_manager": False}, "owner_not_manager", "failed"),
    ("BP2", {"has_benefits_owner": False}, "benefits_owner_appointed", "failed"),
    ("BP2", {"zero_alternative_described": False}, "zero_alternative_described", "failed"),
    ("BP2", {"benefit_count": 0}, "benefit_described", "failed"),
    ("BP2", {"needs_ikt": "unknown"}, "ikt_need_clarified", "warning"),
    ("BP2", {"personal_data": "unknown"}, "personal_data_clarified", "warning"),
    ("BP3", {"milestone_count": 0}, "milestones_planned", "failed"),
    ("BP3", {"stakeholder_count": 0}, "stakeholder_analysis_done", "warning"),
    ("BP3", {"assessed_risk_count": 0}, "risk_analysis_done", "failed"),
    ("BP3", {"benefits_measurable": False}, "benefits_measurable", "failed"),
    ("BP3", {"benefit_count": 0}, "benefits_measurable", "failed"),
    ("BP3", {"dpia_status": "pakrevd"}, "dpia_settled", "failed"),
    ("BP3", {"dpia_status": "under_arbeid"}, "dpia_settled", "failed"),
    ("BP3", {"dpia_status": "ikke_vurdert"}, "dpia_settled", "failed"),
    ("BP3", {"personal_data": "unknown", "dpia_status": "under_arbeid"}, "dpia_settled", "failed"),
    ("BP3", {"owner_differs_from_manager": False}, "owner_not_manager", "failed"),
    ("BP4", {"latest_status_report_published": False}, "status_report_published", "failed"),
    ("BP4", {"benefits_plan_reviewed": False}, "benefits_plan_reviewed", "failed"),
    ("BP4", {"has_benefits_owner": False}, "benefits_follow_up_named", "failed"),
    ("BP5", {"benefits_agreement_acknowledged": False}, "benefits_agreement_acknowledged",
     "failed"),
    ("BP6", {"has_benefit_measurements": False}, "benefits_measured", "failed"),
]


@pytest.mark.parametrize("gate, change, key, state", DERIVED_CASES)
def test_derived_items_are_ticked_from_the_facts(gate, change, key, state):
    result = evaluate(gate, replace(GOOD, **change), all_ja(gate))
    assert {k: v for k, v in states(result).items() if v != "ok"} == {key: state}
    assert result.can_request is (state == "warning")
    if state == "warning":
        assert [e.key for e in result.warnings] == [key] and result.blocking == ()
    else:
        assert [e.key for e in result.blocking] == [key] and result.warnings == ()


@pytest.mark.parametrize("gate", CHECKLISTS)
def test_unknown_facts_leave_derived_items_out(gate):
    result = evaluate(gate, ProjectFacts(), {})
    assert [e.key for e in result.items] == [k for k, kind, *_ in CHECKLISTS[gate] if kind == M]
    assert set(states(result).values()) == {"unanswered"}


def test_only_the_unknown_fact_is_left_out():
    result = evaluate("BP2", ProjectFacts(has_manager=False, benefit_count=0), {})
    derived = {e.key: e.state.value for e in result.items if e.item.kind is ItemKind.DERIVED}
    # Without a manager owner≠manager is not known: only the missing manager shows.
    assert derived == {"manager_appointed": "failed", "benefit_described": "failed"}


@pytest.mark.parametrize("personal_data, dpia_status, expected", [
    ("no", "ikke_vurdert", None),       # no personal data: the item does not apply
    ("no", None, None),
    ("yes", None, None),                # DPIA status not known yet
    (None, "ferdig", None),
    ("yes", "ferdig", "ok"),
    ("yes", "ikke_nodvendig", "ok"),
    ("unknown", "ferdig", "ok"),
    ("unknown", "ikke_nodvendig", "ok"),
    ("yes", "pakrevd", "failed"),
    ("unknown", "ikke_vurdert", "failed"),
])
def test_the_dpia_item_applies_only_when_personal_data_may_be_processed(
        personal_data, dpia_status, expected):
    facts = replace(GOOD, personal_data=personal_data, dpia_status=dpia_status)
    assert states(evaluate(Gate.BP3, facts, {})).get("dpia_settled") == expected


@pytest.mark.parametrize("answer, state", [
    (Answer("ja"), "ok"),
    (Answer("ja", "  "), "ok"),
    (Answer("ikke_relevant", "Ingen linjeenhet berøres"), "ok"),
    (Answer("ikke_relevant", ""), "invalid"),
    (Answer("nei", "Strategien revideres i høst"), "failed"),
    (Answer("nei", ""), "invalid"),
    (Answer("nei", " \n "), "invalid"),
    (Answer("kanskje", "Vet ikke"), "invalid"),
    (("ja", ""), "ok"),                       # a plain tuple from storage
    (("nei", "Fordi"), "failed"),
    (None, "unanswered"),
])
def test_manual_answers_on_a_must_hold_item(answer, state):
    answers = {**all_ja("BP2"), "proposal_prepared": answer}
    if answer is None:
        del answers["proposal_prepared"]
    result = evaluate(Gate.BP2, replace(GOOD), answers)
    assert states(result)["proposal_prepared"] == state
    assert result.can_request is (state == "ok")


@pytest.mark.parametrize("answer, state", [
    (Answer("ja"), "ok"),
    (Answer("ikke_relevant", "Lovpålagt oppgave"), "ok"),
    (Answer("nei", "Passer ikke med planen"), "failed"),
    (Answer("nei", ""), "invalid"),
    (None, "unanswered"),
])
def test_the_owners_bp1_questions_stop_approval_but_never_the_request(answer, state):
    # "Send inn" is the request for BP1: the owner answers these in the decision form.
    answers = {**all_ja("BP1"), "fits_strategy": answer}
    if answer is None:
        del answers["fits_strategy"]
    result = evaluate(Gate.BP1, GOOD, answers)
    assert states(result)["fits_strategy"] == state
    assert result.can_request
    assert result.can_approve is (state == "ok")
    assert [e.key for e in result.approval_blocking] == ([] if state == "ok" else ["fits_strategy"])


def test_bp1_can_be_requested_before_the_owner_has_answered_anything():
    result = evaluate(Gate.BP1, GOOD, {})
    assert result.can_request and not result.can_approve
    assert [e.key for e in result.items if e.awaits_owner] == [
        "fits_strategy", "is_project", "concept_lead_clarified", "concept_funding_clarified"]


@pytest.mark.parametrize("answer, state, can_approve", [
    (Answer("nei", "Søkes om i april"), "warning", True),
    (Answer("ikke_relevant", "Dekkes av enhetens budsjett"), "ok", True),
    (None, "unanswered", True),  # "anbefalt" warns and never blocks, unanswered too
])
def test_manual_answers_on_a_warning_item(answer, state, can_approve):
    answers = {**all_ja("BP1"), "concept_funding_clarified": answer}
    if answer is None:
        del answers["concept_funding_clarified"]
    result = evaluate(Gate.BP1, GOOD, answers)
    assert states(result)["concept_funding_clarified"] == state
    assert result.can_request and result.can_approve is can_approve
    warned = ["concept_funding_clarified"] if state != "ok" else []
    assert [e.key for e in result.warnings] == warned


@pytest.mark.parametrize("state", [ItemState.UNANSWERED, ItemState.INVALID, ItemState.WARNING])
def test_an_anbefalt_item_asked_before_the_request_warns_and_never_blocks(state):
    from app.workflow.checklists import _manual
    from app.workflow.evaluation import CheckedItem

    item = _manual("anbefalt_item", "Et anbefalt punkt", tab=Tab.PLAN, must_hold=False)
    entry = CheckedItem(item, state)
    assert entry.is_warning and not entry.is_blocking and not entry.blocks_approval


def test_blocking_and_warnings_together():
    facts = replace(GOOD, needs_ikt="unknown", has_manager=False, owner_differs_from_manager=None)
    answers = {**all_ja("BP2"), "alternatives_compared": Answer("nei", "Bare ett alternativ"),
               "benefits_analysed": Answer("ikke_relevant", "")}
    del answers["proposal_prepared"]
    result = evaluate("bp2", facts, answers)
    assert result.gate is Gate.BP2
    assert [e.key for e in result.blocking] == [
        "manager_appointed", "proposal_prepared", "alternatives_compared", "benefits_analysed"]
    assert [e.state.value for e in result.blocking] == ["failed", "unanswered", "failed", "invalid"]
    assert [e.key for e in result.warnings] == ["ikt_need_clarified"]
    assert not result.can_request


def test_answers_to_other_gates_items_are_ignored():
    answers = {**all_ja("BP5"), "fits_strategy": Answer("nei", "")}
    result = evaluate(Gate.BP5, GOOD, answers)
    assert "fits_strategy" not in states(result) and result.can_request


def test_the_snapshot_is_plain_data_in_checklist_order():
    answers = {**all_ja("BP1"), "is_project": Answer(AnswerValue.IKKE_RELEVANT, " Lovpålagt "),
               "concept_funding_clarified": Answer("nei", "Søkes om")}
    del answers["concept_lead_clarified"]
    snapshot = evaluate(Gate.BP1, replace(GOOD, has_owner=False), answers).snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot == [
        {"key": "need_described", "text": "Behovet er tydelig beskrevet", "kind": "derived",
         "must_hold": True, "at_decision": False, "state": "ok", "answer": None, "comment": ""},
        {"key": "owner_proposed", "text": "Prosjekteier er foreslått", "kind": "derived",
         "must_hold": True, "at_decision": False, "state": "failed", "answer": None,
         "comment": ""},
        {"key": "fits_strategy", "text": "Ideen passer med kommunens strategi og planer",
         "kind": "manual", "must_hold": True, "at_decision": True, "state": "ok", "answer": "ja",
         "comment": ""},
        {"key": "is_project", "text": "Dette er et prosjekt og ikke ordinært linjearbeid",
         "kind": "manual", "must_hold": True, "at_decision": True, "state": "ok",
         "answer": "ikke_relevant", "comment": "Lovpålagt"},
        {"key": "concept_lead_clarified", "text": "Det er avklart hvem som leder konseptarbeidet",
         "kind": "manual", "must_hold": False, "at_decision": True, "state": "unanswered",
         "answer": None, "comment": ""},
        {"key": "concept_funding_clarified", "text": "Finansiering av konseptfasen er avklart",
         "kind": "manual", "must_hold": False, "at_decision": True, "state": "warning",
         "answer": "nei", "comment": "Søkes om"},
    ]
    # Plain str, not the enums, so that any JSON column or serialiser takes it as it is.
    assert all(type(entry[k]) is str for entry in snapshot for k in ("key", "kind", "state"))
    assert {type(entry["answer"]) for entry in snapshot} == {str, type(None)}


@pytest.mark.parametrize("value, comment, message", [
    ("ja", "", None),
    ("ja", "Forankret i digitaliseringsstrategien", None),
    (AnswerValue.NEI, "Ikke ennå", None),
    ("ikke_relevant", "Gjelder ikke", None),
    ("nei", "", "Skriv en kommentar når svaret ikke er Ja."),
    ("ikke_relevant", "   ", "Skriv en kommentar når svaret ikke er Ja."),
    ("nei", None, "Skriv en kommentar når svaret ikke er Ja."),
    ("kanskje", "Vet ikke", "Velg Ja, Nei eller Ikke relevant."),
    ("", "", "Velg Ja, Nei eller Ikke relevant."),
    (None, "", "Velg Ja, Nei eller Ikke relevant."),
])
def test_validate_answer(value, comment, message):
    assert validate_answer(value, comment) == message


def test_answer_labels():
    assert [v.label for v in AnswerValue] == ["Ja", "Nei", "Ikke relevant"]


@pytest.mark.parametrize("text, described", [
    (None, False), ("", False), ("x" * 19, False), ("  " + "x" * 19 + "  ", False),
    ("x" * 20, True), ("Lange ventetider i skranken", True),
])
def test_need_is_described_from_twenty_characters(text, described):
    assert is_need_described(text) is described


@pytest.mark.parametrize("change", [
    {"personal_data": "ja"}, {"needs_ikt": "maybe"}, {"dpia_status": "done"},
    {"benefit_count": -1}, {"milestone_count": -2},
])
def test_facts_refuse_values_that_would_tick_items_by_accident(change):
    with pytest.raises(ValueError):
        ProjectFacts(**change)


def test_items_are_checked_when_defined():
    with pytest.raises(ValueError):  # a fact that does not exist
        ChecklistItem("x", "X", ItemKind.DERIVED, True, Tab.PLAN, ("no_such_fact",), bool)
    with pytest.raises(ValueError):  # derived without a predicate
        ChecklistItem("x", "X", ItemKind.DERIVED, True, Tab.PLAN, ("has_owner",))
    with pytest.raises(ValueError):  # manual items read no facts
        ChecklistItem("x", "X", ItemKind.MANUAL, True, Tab.PLAN, ("has_owner",), bool)


def test_a_manual_item_cannot_be_derived():
    with pytest.raises(TypeError):
        manual_items(Gate.BP1)[0].holds_for(GOOD)


def test_item_states_are_these():
    assert {s.value for s in ItemState} == {"ok", "failed", "warning", "unanswered", "invalid"}
