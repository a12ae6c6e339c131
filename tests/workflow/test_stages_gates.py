"""Stages, gates, roles, actions and request statuses: codes, Norwegian names, order."""
import pytest

from app.workflow import (
    DECISIONS,
    N_,
    PHASES,
    Action,
    Gate,
    RequestStatus,
    Role,
    Stage,
)

#: code → (Norwegian label, order, terminal), written out from DOMAIN.md and the brief
STAGES = {
    "draft": ("Kladd", 0, False),
    "idea": ("Idé", 1, False),
    "concept": ("Konsept", 2, False),
    "planning": ("Planlegge", 3, False),
    "execution": ("Gjennomføre", 4, False),
    "handover": ("Avslutte", 5, False),
    "realisation": ("Realisere", 6, False),
    "completed": ("Fullført", 7, True),
    "rejected": ("Avvist", 8, True),
    "withdrawn": ("Trukket", 9, True),
}


def test_the_stages_are_exactly_these():
    assert [stage.value for stage in Stage] == list(STAGES)


@pytest.mark.parametrize("code", STAGES)
def test_stage_label_order_and_terminal(code):
    label, order, terminal = STAGES[code]
    stage = Stage(code)
    assert stage == code  # a str enum: compares equal to the stored code
    assert stage.label == label
    assert stage.order == order
    assert stage.is_terminal is terminal


def test_every_stage_has_its_own_description():
    descriptions = [stage.description for stage in Stage]
    assert all(len(text) > 20 for text in descriptions)
    assert len(set(descriptions)) == len(descriptions)


def test_description_says_what_happens():
    assert "nullalternativet" in Stage.CONCEPT.description
    assert "DPIA" in Stage.PLANNING.description
    assert "gevinstavtale" in Stage.HANDOVER.description


def test_sorting_by_order_follows_the_main_line():
    shuffled = [Stage.COMPLETED, Stage.IDEA, Stage.WITHDRAWN, Stage.PLANNING, Stage.DRAFT]
    assert sorted(shuffled, key=lambda s: s.order) == [
        Stage.DRAFT, Stage.IDEA, Stage.PLANNING, Stage.COMPLETED, Stage.WITHDRAWN]


def test_phase_bar_is_the_main_line_without_draft_and_side_exits():
    assert [s.value for s in PHASES] == [
        "idea", "concept", "planning", "execution", "handover", "realisation", "completed"]


#: gate → (from, to, question), from the brief
GATES = {
    "BP1": ("idea", "concept", "Skal ideen utredes videre i en konseptfase?"),
    "BP2": ("concept", "planning",
            "Skal prosjektet planlegges? Prosjekteier godkjenner prosjektforslaget."),
    "BP3": ("planning", "execution",
            "Skal prosjektet gjennomføres? Prosjekteier godkjenner styringsdokumentet."),
    "BP4": ("execution", "handover",
            "Er prosjektet klart til å avsluttes og overleveres til linjen?"),
    "BP5": ("handover", "realisation", "Kan prosjektet avsluttes?"),
    "BP6": ("realisation", "completed", "Er gevinstarbeidet fullført?"),
}


def test_the_gates_are_exactly_bp1_to_bp6():
    assert [gate.value for gate in Gate] == list(GATES)


@pytest.mark.parametrize("code", GATES)
def test_gate_stages_and_question(code):
    from_stage, to_stage, question = GATES[code]
    gate = Gate(code)
    assert gate.label == code
    assert gate.number == int(code[2])
    assert gate.from_stage is Stage(from_stage)
    assert gate.to_stage is Stage(to_stage)
    assert gate.question == question


#: the gate out of each stage
GATE_OUT_OF = {
    "draft": None, "idea": "BP1", "concept": "BP2", "planning": "BP3", "execution": "BP4",
    "handover": "BP5", "realisation": "BP6", "completed": None, "rejected": None,
    "withdrawn": None,
}


@pytest.mark.parametrize("stage", GATE_OUT_OF)
def test_gate_for_stage(stage):
    expected = GATE_OUT_OF[stage]
    assert Gate.for_stage(Stage(stage)) == (Gate(expected) if expected else None)
    assert Gate.for_stage(stage) == Gate.for_stage(Stage(stage))  # the stored code works too


@pytest.mark.parametrize("text", ["BP3", "bp3", "Bp3", " bP3\n"])
def test_parse_ignores_case_and_space(text):
    assert Gate.parse(text) is Gate.BP3


def test_parse_accepts_a_gate():
    assert Gate.parse(Gate.BP5) is Gate.BP5


@pytest.mark.parametrize("text", ["BP7", "BP0", "BP", "3", "", "B P3", "BP3x", None, 3])
def test_parse_refuses_anything_else(text):
    with pytest.raises(ValueError):
        Gate.parse(text)


def test_gate_constructor_stays_strict():
    with pytest.raises(ValueError):
        Gate("bp3")


@pytest.mark.parametrize("status, is_open, label", [
    ("pending", True, "Venter på beslutning"),
    ("postponed", True, "Utsatt"),
    ("approved", False, "Godkjent"),
    ("rejected", False, "Avvist"),
    ("returned", False, "Sendt tilbake"),
    ("withdrawn", False, "Trukket"),
])
def test_request_status(status, is_open, label):
    assert RequestStatus(status).is_open is is_open
    assert RequestStatus(status).label == label


def test_request_statuses_are_exactly_these():
    assert {s.value for s in RequestStatus} == {
        "pending", "approved", "rejected", "returned", "postponed", "withdrawn"}


@pytest.mark.parametrize("code, label", [
    ("submitter", "Innsender"), ("owner", "Prosjekteier"), ("manager", "Prosjektleder"),
    ("admin", "Administrator"), ("employee", "Ansatt"),
])
def test_roles(code, label):
    assert Role(code).label == label


def test_the_roles_are_exactly_these():
    assert {r.value for r in Role} == {"submitter", "owner", "manager", "admin", "employee"}


@pytest.mark.parametrize("code, label", [
    ("submit", "Send inn"),
    ("edit_draft", "Rediger kladd"),
    ("delete_draft", "Slett kladd"),
    ("request_gate", "Be om godkjenning"),
    ("approve", "Godkjenn"),
    ("reject", "Avvis"),
    ("return", "Send tilbake"),
    ("postpone", "Utsett"),
    ("withdraw", "Trekk"),
    ("answer_checklist", "Svar på sjekklisten"),
    ("transfer_owner", "Overfør prosjekteierskapet"),
])
def test_actions(code, label):
    assert Action(code).label == label


def test_the_actions_are_exactly_these():
    assert [a.value for a in Action] == [
        "submit", "edit_draft", "delete_draft", "request_gate", "approve", "reject", "return",
        "postpone", "withdraw", "answer_checklist", "transfer_owner"]


def test_send_back_is_stored_as_return():
    assert Action.SEND_BACK.value == "return"
    assert Action("return") is Action.SEND_BACK
    assert Action.RETURN is Action.SEND_BACK


def test_decisions_are_the_owners_four_buttons():
    assert {a.value for a in DECISIONS} == {"approve", "reject", "return", "postpone"}
    assert Action.APPROVE.is_decision and not Action.REQUEST_GATE.is_decision


def test_translation_marker_returns_the_message_id():
    assert N_("Godkjenn") == "Godkjenn"
