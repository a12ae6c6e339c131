"""The gate flow through the pages: checklist, "Be om godkjenning", the owner's decision."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.models import GateDecision, Project
from tests.gates.flow import (BP1_MUST_HOLD, BP1_RECOMMENDED, BP2_MANUAL, answer, answer_bp2, answers_of,
                              audit_actions, concept_project, decide, decision_fields, decisions_of, fresh, gate_url,
                              idea_with_pending_bp1, make_project, notifications_for, request_gate,
                              requests_of, tomorrow)
from tests.support.factories import post_form


def item_html(html: str, key: str) -> str:
    match = re.search(rf'<li class="checklist__item[^"]*" id="item-{key}">(.*?)</li>\s*(?=<li class="checklist__item|</ul>)',
                      html, re.S)
    assert match, f"no checklist item {key}"
    return match.group(0)


def item_state(html: str, key: str) -> str:
    return re.search(r'checklist__item--(\w+)', item_html(html, key)).group(1)


# --- the checklist ------------------------------------------------------------------

def test_bp1_checklist_ticks_derived_items_and_leaves_the_questions_to_the_owner(as_user, users):
    project = make_project(users)
    html = as_user("ida").get(gate_url(project)).get_data(as_text=True)

    assert "BP1: Skal ideen utredes videre i en konseptfase?" in html
    for key, text in (("need_described", "Behovet er tydelig beskrevet"),
                      ("owner_proposed", "Prosjekteier er foreslått")):
        item = item_html(html, key)
        assert text in item and "Hentes fra prosjektets opplysninger." in item
        assert item_state(html, key) == "ok"
        assert "<form" not in item  # derived: nothing to answer
    # The employee is not asked whether her idea fits the strategy: the owner answers that.
    for key in BP1_MUST_HOLD + BP1_RECOMMENDED:
        item = item_html(html, key)
        assert item_state(html, key) == "unanswered"
        assert "Prosjekteier svarer på dette når beslutningen tas." in item
        assert "<form" not in item
    assert "4 spørsmål besvarer prosjekteier i beslutningen." in html
    assert "Alle punkter som må være oppfylt, er på plass." in html


def test_bp2_checklist_asks_the_manager_for_the_manual_ones(as_user, users):
    project = concept_project(users)
    html = as_user("kari").get(gate_url(project, "BP2")).get_data(as_text=True)
    for key in BP2_MANUAL:
        item = item_html(html, key)
        assert item_state(html, key) == "unanswered" and "Ikke besvart" in item
        assert f'name="answer-{key}" value="nei"' in item and f'name="answer-{key}-comment"' in item
    # One form, one save for all of them.
    assert html.count(f'action="{gate_url(project, "BP2")}/checklist"') == 1
    assert html.count("Lagre svarene") == 1 and "Lagre svaret<" not in html
    assert "4 punkter må være på plass før dere kan be om godkjenning." in html


def test_a_short_need_is_not_ticked(as_user, users):
    project = make_project(users, need="Papir")
    html = as_user("ida").get(gate_url(project)).get_data(as_text=True)
    assert item_state(html, "need_described") == "failed"
    assert "Mangler" in item_html(html, "need_described")


def test_answer_nei_without_comment_is_refused_in_norwegian(as_user, users):
    project = concept_project(users)
    response = answer(as_user("kari"), project, "proposal_prepared", "nei", "", gate="BP2")
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert "Skriv en kommentar når svaret ikke er Ja." in item_html(html, "proposal_prepared")
    assert 'id="a-proposal_prepared-nei" name="answer-proposal_prepared" value="nei" checked' in html  # kept
    assert answers_of(project.id) == {}


def test_answers_show_on_the_page_with_their_comment(as_user, users):
    project = concept_project(users)
    kari = as_user("kari")
    assert answer(kari, project, "proposal_prepared", "ja", gate="BP2").status_code == 302
    assert answer(kari, project, "alternatives_compared", "nei", "Bare ett alternativ ennå.",
                  gate="BP2").status_code == 302

    html = kari.get(gate_url(project, "BP2")).get_data(as_text=True)
    assert item_state(html, "proposal_prepared") == "ok" and ">Ja<" in item_html(html, "proposal_prepared")
    assert item_state(html, "alternatives_compared") == "failed"
    assert "Bare ett alternativ ennå." in item_html(html, "alternatives_compared")


def test_htmx_answer_returns_only_the_checklist(as_user, users):
    project = concept_project(users)
    kari = as_user("kari")
    from tests.support.factories import csrf_token

    token = csrf_token(kari, gate_url(project, "BP2"))
    response = kari.post(f"{gate_url(project, 'BP2')}/checklist",
                         data={"answer-proposal_prepared": "ja", "answer-proposal_prepared-comment": "",
                               "answer-proposal_prepared-version": ""},
                         headers={"HX-Request": "true", "X-CSRFToken": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="checklist"') and "<html" not in html
    assert item_state(html, "proposal_prepared") == "ok"
    # Told beside the button, which gets the focus back (static/js/focus.js).
    assert "1 svar er lagret." in html
    assert re.search(r'<button type="submit"[^>]*data-focus-after-swap[^>]*>Lagre svarene<', html)


def test_request_is_blocked_until_the_must_hold_items_hold(as_user, users):
    project = concept_project(users)
    kari = as_user("kari")
    url = gate_url(project, "BP2")

    html = kari.get(url).get_data(as_text=True)
    assert "Du kan be om godkjenning når alle punkter som må være oppfylt, er på plass" in html
    assert f'action="{url}/request"' not in html
    response = request_gate(kari, project, gate="BP2")
    assert response.status_code == 422
    assert "Sjekklisten har punkter som må være oppfylt" in response.get_data(as_text=True)
    assert requests_of(project.id) == []

    # A considered "Nei" on a must-hold item still blocks.
    answer_bp2(kari, project)
    answer(kari, project, BP2_MANUAL[0], "nei", "Ikke skrevet ennå.", gate="BP2")
    assert request_gate(kari, project, gate="BP2").status_code == 422
    assert requests_of(project.id) == []

    answer(kari, project, BP2_MANUAL[0], "ja", gate="BP2")
    html = kari.get(url).get_data(as_text=True)
    assert f'action="{url}/request"' in html
    assert request_gate(kari, project, gate="BP2").status_code == 302
    assert [r.status for r in requests_of(project.id)] == ["pending"]


def test_anbefalt_items_warn_and_never_block_a_request(as_user, users):
    """BP2's recommended derived items (IKT need, personal data) still "Vet ikke": the
    request goes through with two warnings."""
    project = concept_project(users, personal_data="unknown", needs_ikt="unknown")
    kari = as_user("kari")
    answer_bp2(kari, project)
    html = kari.get(gate_url(project, "BP2")).get_data(as_text=True)
    assert "2 advarsler." in html
    assert request_gate(kari, project, gate="BP2").status_code == 302


def test_request_needs_a_summary(as_user, users):
    project = make_project(users)
    ida = as_user("ida")
    response = request_gate(ida, project, summary="  ")
    assert response.status_code == 422
    assert "Skriv en kort oppsummering" in response.get_data(as_text=True)
    assert requests_of(project.id) == []


def test_requesting_bp1_tells_the_owner_and_locks_the_checklist(as_user, users):
    ida = as_user("ida")
    project = idea_with_pending_bp1(ida, users)

    [req] = requests_of(project.id)
    assert (req.gate, req.status, req.requested_by.username) == ("BP1", "pending", "ida")
    assert {i["key"]: i["state"] for i in req.checklist_snapshot}["fits_strategy"] == "unanswered"
    [note] = notifications_for(users["ola"], "gate_requested")
    assert "Ida Berg ber deg godkjenne BP1" in note.text and note.url == gate_url(project)
    assert "gate.requested" in audit_actions(project.id)

    html = ida.get(gate_url(project)).get_data(as_text=True)
    assert "Venter på beslutning" in html and "Sjekklisten er låst" in html
    assert f'{gate_url(project)}/checklist"' not in html  # no answer form while locked
    # The owner's questions are his: nobody answers them outside the decision.
    for name in ("ida", "ola"):
        response = answer(as_user(name), project, "fits_strategy", "nei", "Ombestemt meg.")
        assert response.status_code == 409
    assert answers_of(project.id) == {}


def test_bp2_checklist_is_locked_while_the_request_waits(as_user, users):
    project = concept_project(users)
    kari = as_user("kari")
    answer_bp2(kari, project)
    assert request_gate(kari, project, gate="BP2").status_code == 302
    response = answer(kari, project, "proposal_prepared", "nei", "Ombestemt meg.", gate="BP2")
    assert response.status_code in (403, 409)
    assert answers_of(project.id)[("BP2", "proposal_prepared")] == ("ja", "")


# --- who decides ----------------------------------------------------------------------

def test_only_the_owner_sees_the_decision_form(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users)

    assert "Din beslutning som prosjekteier" in as_user("ola").get(gate_url(project)).get_data(as_text=True)
    for name in ("ida", "admin", "kari", "lise"):
        html = as_user(name).get(gate_url(project)).get_data(as_text=True)
        assert "Din beslutning som prosjekteier" not in html, name
        assert f"{gate_url(project)}/decide" not in html, name


@pytest.mark.parametrize("name", ["ida", "admin", "kari"])
def test_no_one_but_the_owner_can_decide(as_user, users, name):
    ida = as_user("ida")
    project = idea_with_pending_bp1(ida, users)
    # They post the decision form as the owner would have it.
    owner_page = as_user("ola").get(gate_url(project)).get_data(as_text=True)
    from tests.gates.flow import decision_fields

    fields = decision_fields(owner_page)
    response = post_form(as_user(name), f"{gate_url(project)}/decide",
                         {"decision": "approve", "confirm_owner": "y", "manager_username": "kari",
                          **fields}, page=gate_url(project))

    assert response.status_code == 403
    assert fresh(Project, project.id).stage == "idea"
    assert decisions_of(project.id) == []
    assert [r.status for r in requests_of(project.id)] == ["pending"]


# --- the four decisions -----------------------------------------------------------------

def test_owner_approves_bp1_and_appoints_the_manager(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users)
    ola = as_user("ola")
    html = ola.get(gate_url(project)).get_data(as_text=True)
    # The whole idea and the owner's own questions are in his decision form.
    form = html[html.index('class="card decision-card"'):]
    assert project.need in form and "Dine vurderinger ved BP1" in form
    for key in BP1_MUST_HOLD + BP1_RECOMMENDED:
        assert f'name="answer-{key}"' in form

    response = decide(ola, project, "approve", manager_username="kari", comment="Godt forslag.")

    assert response.status_code == 302
    project = fresh(Project, project.id)
    assert project.stage == "concept"
    assert project.manager.username == "kari" and project.owner.username == "ola"
    assert project.owner_confirmed_at is not None
    [req] = requests_of(project.id)
    assert req.status == "approved"
    [row] = decisions_of(project.id)
    assert (row.decision, row.decided_by.username, row.comment) == ("approve", "ola", "Godt forslag.")
    snapshot = {i["key"]: (i["state"], i["answer"]) for i in row.checklist_snapshot}
    assert snapshot["fits_strategy"] == ("ok", "ja") and snapshot["is_project"] == ("ok", "ja")
    assert snapshot["concept_funding_clarified"] == ("warning", "nei")
    assert answers_of(project.id)[("BP1", "fits_strategy")] == ("ja", "")
    assert "gate.checklist_answered" in audit_actions(project.id)
    # The submitter and the new manager hear about it: kari once, that she leads it now.
    assert notifications_for(users["ida"], "gate_decided")
    assert [n.kind for n in notifications_for(users["kari"])] == ["role_assigned"]
    page = ola.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Beslutningen er registrert." in page and "Konsept" in page and "Kari Nordmann" in page


@pytest.mark.parametrize("answers, errors", [
    ({}, {"fits_strategy": "Svar på dette før du godkjenner.",
          "is_project": "Svar på dette før du godkjenner."}),
    ({"fits_strategy": ("nei", "Passer ikke med planen."), "is_project": ("ja", "")},
     {"fits_strategy": "Du har svart Nei. Godkjenning krever Ja eller Ikke relevant"}),
    ({"fits_strategy": ("ikke_relevant", ""), "is_project": ("ja", "")},
     {"fits_strategy": "Skriv en kommentar når svaret ikke er Ja."}),
])
def test_approval_needs_the_owners_must_hold_answers(as_user, users, answers, errors):
    project = idea_with_pending_bp1(as_user("ida"), users)
    response = decide(as_user("ola"), project, "approve", answers=answers, comment="Vurdert.")
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    for key, message in errors.items():
        slot = re.search(rf'id="answer-{key}-error">([^<]*)<', html)
        assert slot and message in slot.group(1), key
    # Nothing is written, and what he typed is still in the form.
    assert fresh(Project, project.id).stage == "idea"
    assert decisions_of(project.id) == [] and answers_of(project.id) == {}
    for key, (value, note) in answers.items():
        assert f'id="answer-{key}-{value}" name="answer-{key}" value="{value}" checked' in html
    assert "Vurdert." in html


def test_unanswered_anbefalt_questions_only_warn(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users)
    response = decide(as_user("ola"), project, "approve",
                      answers={"fits_strategy": ("ja", ""), "is_project": ("ja", "")})
    assert response.status_code == 302
    [row] = decisions_of(project.id)
    assert {i["key"]: i["state"] for i in row.checklist_snapshot}["concept_lead_clarified"] == "unanswered"


def test_rejecting_needs_no_answers(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users)
    response = decide(as_user("ola"), project, "reject", comment="Løses i linjen.")
    assert response.status_code == 302
    assert fresh(Project, project.id).stage == "rejected"


def test_approving_bp1_needs_the_owner_to_confirm_the_role(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users)
    response = decide(as_user("ola"), project, "approve", confirm_owner=False)

    assert response.status_code == 422
    assert "Bekreft at du tar rollen som prosjekteier." in response.get_data(as_text=True)
    assert fresh(Project, project.id).stage == "idea"
    assert decisions_of(project.id) == []


@pytest.mark.parametrize("manager, message", [
    ("ola", "Prosjektleder og prosjekteier kan ikke være samme person."),
    ("", "Velg hvem som skal lede konseptarbeidet."),
    ("finnesikke", "Fant ikke «finnesikke» i brukerkatalogen."),
])
def test_bp1_manager_must_be_someone_else_than_the_owner(as_user, users, manager, message):
    project = idea_with_pending_bp1(as_user("ida"), users)
    response = decide(as_user("ola"), project, "approve", manager_username=manager)
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert message in html
    assert re.search(r'id="manager_username"[^>]*value="%s"' % manager, html) or not manager
    project = fresh(Project, project.id)
    assert project.stage == "idea" and project.manager_id is None
    assert [r.status for r in requests_of(project.id)] == ["pending"]
    assert decisions_of(project.id) == [] and answers_of(project.id) == {}


def test_reject_needs_a_comment_and_ends_the_project(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users)
    ola = as_user("ola")

    response = decide(ola, project, "reject", comment="")
    assert response.status_code == 422
    assert "Skriv en begrunnelse" in response.get_data(as_text=True)
    assert fresh(Project, project.id).stage == "idea"

    response = decide(ola, project, "reject", comment="Dekkes av eksisterende system.")
    assert response.status_code == 302
    assert fresh(Project, project.id).stage == "rejected"
    assert [r.status for r in requests_of(project.id)] == ["rejected"]
    [row] = decisions_of(project.id)
    assert row.comment == "Dekkes av eksisterende system."
    html = ola.get(gate_url(project)).get_data(as_text=True)
    assert "Dekkes av eksisterende system." in html and "Avvist" in html
    # Nothing more can happen.
    assert request_gate(as_user("ida"), project).status_code in (403, 409)


def test_return_keeps_the_stage_and_reopens_the_checklist(as_user, users):
    ida = as_user("ida")
    project = idea_with_pending_bp1(ida, users)

    response = decide(as_user("ola"), project, "return", comment="Beskriv gevinstene bedre.")

    assert response.status_code == 302
    assert fresh(Project, project.id).stage == "idea"
    assert [r.status for r in requests_of(project.id)] == ["returned"]
    html = ida.get(gate_url(project)).get_data(as_text=True)
    assert "Sjekklisten er låst" not in html
    assert f'action="{gate_url(project)}/request"' in html
    assert "Beskriv gevinstene bedre." in html
    # The submitter revises and asks again.
    assert request_gate(ida, project, "Nå med bedre gevinster.").status_code == 302
    assert [r.status for r in requests_of(project.id)] == ["returned", "pending"]


def test_postpone_needs_a_future_date_and_keeps_the_request_open(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users)
    ola = as_user("ola")

    for bad in (date.today(), date.today() - timedelta(days=3), None):
        response = decide(ola, project, "postpone", comment="Venter på budsjett.", postpone_until=bad)
        assert response.status_code == 422
        assert "Velg en dato fram i tid for utsettelsen." in response.get_data(as_text=True)
    assert [r.status for r in requests_of(project.id)] == ["pending"]

    response = decide(ola, project, "postpone", comment="Venter på budsjett.", postpone_until=tomorrow())
    assert response.status_code == 302
    [req] = requests_of(project.id)
    assert req.status == "postponed" and req.postponed_until == tomorrow()
    assert fresh(Project, project.id).stage == "idea"
    html = ola.get(gate_url(project)).get_data(as_text=True)
    assert "utsatt til" in html and "Din beslutning som prosjekteier" in html

    # The owner may decide the postponed request whenever he is ready.
    response = decide(ola, project, "approve", manager_username="kari")
    assert response.status_code == 302
    assert fresh(Project, project.id).stage == "concept"
    [req] = requests_of(project.id)
    assert req.status == "approved"
    assert [d.decision for d in decisions_of(project.id)] == ["postpone", "approve"]


def test_decisions_are_kept_as_they_were_made(as_user, users):
    """A decision keeps its comment and the checklist the owner saw, whatever happens later."""
    ida = as_user("ida")
    ola = as_user("ola")
    project = idea_with_pending_bp1(ida, users)
    decide(ola, project, "return", comment="Se på finansieringen.",
           answers={"concept_funding_clarified": ("nei", "Avklares i starten av konseptfasen.")})
    [first] = decisions_of(project.id)
    snapshot = {i["key"]: (i["state"], i["answer"], i["comment"]) for i in first.checklist_snapshot}
    assert snapshot["concept_funding_clarified"] == ("warning", "nei", "Avklares i starten av konseptfasen.")

    # Answers change at the next decision ...
    request_gate(ida, project, "Andre runde.")
    decide(ola, project, "approve", manager_username="kari",
           answers={"fits_strategy": ("ikke_relevant", "Lovpålagt uansett."), "is_project": ("ja", ""),
                    "concept_funding_clarified": ("ja", "")})

    # ... but the first decision and the first request still say what they said.
    first = fresh(GateDecision, first.id)
    assert first.comment == "Se på finansieringen."
    assert {i["key"]: (i["state"], i["answer"], i["comment"]) for i in first.checklist_snapshot} == snapshot
    assert requests_of(project.id)[0].checklist_snapshot == first.request.checklist_snapshot
    second = decisions_of(project.id)[1]
    assert {i["key"]: i["answer"] for i in second.checklist_snapshot}["concept_funding_clarified"] == "ja"
    # A closed request cannot be decided again.
    response = post_form(ola, f"{gate_url(project)}/decide",
                         {"decision": "reject", "comment": "Ombestemt.",
                          "request_id": str(first.request_id), "request_version": "1"},
                         page=gate_url(project))
    assert response.status_code == 409
    assert [d.decision for d in decisions_of(project.id)] == ["return", "approve"]
    html = ola.get(gate_url(project, "BP1")).get_data(as_text=True)
    assert "Se på finansieringen." in html and "Avklares i starten av konseptfasen." in html



def test_a_decision_form_with_errors_for_a_request_decided_meanwhile_is_a_conflict(as_user, users):
    """The owner decided in one tab; the form of the other tab, sent with something missing,
    answers 409 with what was decided, not 422 beside a form that is no longer shown."""
    ola = as_user("ola")
    project = idea_with_pending_bp1(as_user("ida"), users)
    stale = decision_fields(ola.get(gate_url(project)).get_data(as_text=True))
    decide(ola, project, "reject", comment="For dyrt.")
    for missing in ({"decision": ""}, {"decision": "approve", "manager_username": ""},
                    {"decision": "return", "comment": ""}):
        response = post_form(ola, f"{gate_url(project)}/decide", {**stale, "comment": "Ny vurdering", **missing},
                             page=gate_url(project))
        assert response.status_code == 409, missing
        html = response.get_data(as_text=True)
        assert "Beslutningen er allerede tatt: Ola Nordmann avviste BP1" in html
        if "comment" not in missing:  # what the owner wrote is kept, to copy
            assert ">Begrunnelse</label>" in html and 'readonly value="Ny vurdering"' in html
    assert [d.decision for d in decisions_of(project.id)] == ["reject"]

# --- withdraw and transfer ----------------------------------------------------------------

@pytest.mark.parametrize("stage", ["idea", "concept"])
def test_submitter_withdraws_before_bp2(as_user, users, stage):
    project = make_project(users, stage=stage, manager="kari" if stage == "concept" else None)
    ida = as_user("ida")
    assert "Trekk prosjektet" in ida.get(f"/projects/{project.id}").get_data(as_text=True)

    response = post_form(ida, f"/projects/{project.id}/withdraw", {"comment": "Løst på annen måte."},
                         page=f"/projects/{project.id}")

    assert response.status_code == 302
    assert fresh(Project, project.id).stage == "withdrawn"
    assert "project.withdrawn" in audit_actions(project.id)
    assert "Trukket" in ida.get(f"/projects/{project.id}").get_data(as_text=True)


def test_withdrawing_closes_the_open_request(as_user, users):
    ida = as_user("ida")
    project = idea_with_pending_bp1(ida, users)
    post_form(ida, f"/projects/{project.id}/withdraw", {"comment": "Ikke aktuelt lenger."},
              page=f"/projects/{project.id}")

    assert fresh(Project, project.id).stage == "withdrawn"
    assert [r.status for r in requests_of(project.id)] == ["withdrawn"]
    assert "Din beslutning" not in as_user("ola").get(gate_url(project)).get_data(as_text=True)


@pytest.mark.parametrize("comment", ["", "   "])
def test_withdrawing_needs_a_reason(as_user, users, comment):
    ida = as_user("ida")
    project = idea_with_pending_bp1(ida, users)
    response = post_form(ida, f"/projects/{project.id}/withdraw", {"comment": comment},
                         page=f"/projects/{project.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skriv hvorfor prosjektet trekkes." in html
    assert fresh(Project, project.id).stage == "idea"
    assert [r.status for r in requests_of(project.id)] == ["pending"]
    assert "project.withdrawn" not in audit_actions(project.id)


@pytest.mark.parametrize("name, stage", [("ola", "idea"), ("admin", "idea"), ("per", "idea"),
                                         ("kari", "concept"), ("ida", "planning"),
                                         ("ida", "execution")])
def test_withdraw_is_not_allowed_for_others_or_after_bp2(as_user, users, name, stage):
    project = make_project(users, stage=stage, manager=None if stage == "idea" else "kari")
    client = as_user(name)
    assert "Trekk prosjektet" not in client.get(f"/projects/{project.id}").get_data(as_text=True)

    response = post_form(client, f"/projects/{project.id}/withdraw", {"comment": "Nei"},
                         page=f"/projects/{project.id}")

    assert response.status_code == 403
    assert fresh(Project, project.id).stage == stage


def test_admin_hands_the_owner_role_on_and_the_new_owner_decides(as_user, users):
    ida = as_user("ida")
    project = idea_with_pending_bp1(ida, users)
    admin = as_user("admin")

    response = post_form(admin, f"/projects/{project.id}/owner", {"owner_username": "randi"},
                         page=f"/projects/{project.id}")

    assert response.status_code == 302
    assert fresh(Project, project.id).owner.username == "randi"
    assert "project.owner_transferred" in audit_actions(project.id)
    # The old owner no longer decides; the new one does.
    ola_page = as_user("ola").get(gate_url(project)).get_data(as_text=True)
    assert "Din beslutning som prosjekteier" not in ola_page
    [req] = requests_of(project.id)
    response = post_form(as_user("ola"), f"{gate_url(project)}/decide",
                         {"decision": "reject", "comment": "Nei", "request_id": str(req.id),
                          "request_version": str(req.version)}, page=gate_url(project))
    assert response.status_code == 403
    assert "Din beslutning som prosjekteier" in as_user("randi").get(gate_url(project)).get_data(as_text=True)
    response = decide(as_user("randi"), project, "approve", manager_username="kari")
    assert response.status_code == 302
    project = fresh(Project, project.id)
    assert project.stage == "concept" and project.owner.username == "randi"
    assert decisions_of(project.id)[0].decided_by.username == "randi"


@pytest.mark.parametrize("name", ["ida", "kari", "per", "lise"])
def test_only_owner_or_admin_can_hand_the_owner_role_on(as_user, users, name):
    project = make_project(users)
    response = post_form(as_user(name), f"/projects/{project.id}/owner", {"owner_username": name},
                         page=f"/projects/{project.id}")
    assert response.status_code == 403
    assert fresh(Project, project.id).owner.username == "ola"


def test_owner_role_cannot_go_to_the_manager(as_user, users):
    project = make_project(users, stage="concept", manager="kari")
    response = post_form(as_user("admin"), f"/projects/{project.id}/owner", {"owner_username": "kari"},
                         page=f"/projects/{project.id}")
    assert response.status_code == 422
    assert "Prosjektleder og prosjekteier kan ikke være samme person." in response.get_data(as_text=True)
    assert fresh(Project, project.id).owner.username == "ola"


# --- phases are never skipped ---------------------------------------------------------------

def test_a_later_gate_cannot_be_requested_or_decided(as_user, users):
    ida = as_user("ida")
    ola = as_user("ola")
    project = idea_with_pending_bp1(ida, users)
    decide(ola, project, "approve", manager_username="kari")
    assert fresh(Project, project.id).stage == "concept"
    [req] = requests_of(project.id)

    for gate in ("BP3", "BP1"):
        response = post_form(ola, f"{gate_url(project, gate)}/request", {"summary": "Hopp over"},
                             page=gate_url(project, "BP2"))
        assert response.status_code in (404, 409), gate
        response = post_form(ola, f"{gate_url(project, gate)}/decide",
                             {"decision": "approve", "comment": "", "request_id": str(req.id),
                              "request_version": str(req.version)},
                             page=gate_url(project, "BP2"))
        assert response.status_code in (404, 409), gate
        expected = ("Det finnes ingen forespørsel som venter på beslutning ved BP3." if gate == "BP3"
                    else "Beslutningen er allerede tatt: Ola Nordmann godkjente BP1")
        assert expected in response.get_data(as_text=True)
        response = post_form(ola, f"{gate_url(project, gate)}/checklist",
                             {"answer-residual_risk_acceptable": "ja"} if gate == "BP3"
                             else {"answer-fits_strategy": "ja"}, page=gate_url(project, "BP2"))
        assert response.status_code in (404, 409), gate
    assert fresh(Project, project.id).stage == "concept"
    assert len(requests_of(project.id)) == 1 and len(decisions_of(project.id)) == 1
    assert ("BP3", "residual_risk_acceptable") not in answers_of(project.id)


def test_unknown_gate_is_404(as_user, users):
    project = make_project(users)
    assert as_user("ida").get(gate_url(project, "BP7")).status_code == 404
    assert as_user("ida").get(gate_url(project, "xyz")).status_code == 404


def test_too_long_comment_is_refused_beside_the_item(as_user, users):
    project = concept_project(users)
    response = answer(as_user("kari"), project, "proposal_prepared", "nei", "x" * 2001, gate="BP2")
    assert response.status_code == 422
    assert "Kommentaren kan være på høyst 2000 tegn." in item_html(response.get_data(as_text=True),
                                                                   "proposal_prepared")
    assert answers_of(project.id) == {}


def test_new_owner_is_told_that_a_decision_waits(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users)
    post_form(as_user("admin"), f"/projects/{project.id}/owner", {"owner_username": "randi"},
              page=f"/projects/{project.id}")
    [note] = notifications_for(users["randi"], "owner_transferred")
    assert note.text == ("Adam Berge har gjort deg til prosjekteier for «Digitale arbeidslister». "
                         "BP1 venter på din beslutning.")
    assert note.url == gate_url(project)


def test_handing_the_role_to_the_owner_himself_is_refused(as_user, users):
    project = make_project(users)
    response = post_form(as_user("admin"), f"/projects/{project.id}/owner", {"owner_username": "ola"},
                         page=f"/projects/{project.id}")
    assert response.status_code == 422
    assert "Ola Nordmann er allerede prosjekteier." in response.get_data(as_text=True)
    assert "project.owner_transferred" not in audit_actions(project.id)


def test_bp1_manager_lookup_with_the_directory_down_is_refused_not_crashed(app, as_user, users,
                                                                            monkeypatch):
    from app.directory import DirectoryUnavailable

    project = idea_with_pending_bp1(as_user("ida"), users)

    def unavailable(*args, **kwargs):
        raise DirectoryUnavailable("timed out")

    monkeypatch.setattr(app.extensions["faseport_directory"], "find_person", unavailable)
    response = decide(as_user("ola"), project, "approve", manager_username="hilde")
    assert response.status_code == 422
    assert "Brukerkatalogen svarer ikke akkurat nå" in response.get_data(as_text=True)
    assert fresh(Project, project.id).stage == "idea"


def test_an_answer_given_meanwhile_is_not_silently_overwritten(as_user, users):
    """ola (the owner may answer at BP2 too) has the page open; kari answers first."""
    from tests.gates.flow import answer_version, checklist_form

    project = concept_project(users)
    url = gate_url(project, "BP2")
    ola, kari = as_user("ola"), as_user("kari")
    ola_page = ola.get(url).get_data(as_text=True)
    assert answer_version(ola_page, "proposal_prepared") == ""
    assert answer(kari, project, "proposal_prepared", "nei", "Ikke skrevet.", gate="BP2").status_code == 302

    response = post_form(ola, f"{url}/checklist",
                         {**checklist_form(ola_page), "answer-proposal_prepared": "ja",
                          "answer-proposal_prepared-comment": "Ligger i saken."}, page=url)
    html = response.get_data(as_text=True)

    assert response.status_code == 409
    item = item_html(html, "proposal_prepared")
    assert "Kari Nordmann endret dette punktet mens du svarte. Svaret nå er «Nei»." in item
    assert "Ligger i saken." in item  # what ola typed is still there
    assert answers_of(project.id)[("BP2", "proposal_prepared")] == ("nei", "Ikke skrevet.")

    # With the page reloaded, his answer goes through.
    assert answer(ola, project, "proposal_prepared", "ja", "Ligger i saken.", gate="BP2").status_code == 302
    assert answers_of(project.id)[("BP2", "proposal_prepared")] == ("ja", "Ligger i saken.")


def test_htmx_answer_that_completes_the_checklist_brings_the_request_form(as_user, users):
    """Without a reload, the last answer shows "Be om godkjenning" (swapped out of band)."""
    from tests.support.factories import csrf_token

    project = concept_project(users)
    url = gate_url(project, "BP2")
    kari = as_user("kari")
    for key in BP2_MANUAL[:-1]:
        answer(kari, project, key, "ja", gate="BP2")
    token = csrf_token(kari, url)

    response = kari.post(f"{url}/checklist",
                         data={f"answer-{BP2_MANUAL[-1]}": "ja", f"answer-{BP2_MANUAL[-1]}-comment": "",
                               f"answer-{BP2_MANUAL[-1]}-version": ""},
                         headers={"HX-Request": "true", "X-CSRFToken": token})
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    oob = html[html.index('<div id="request-section" hx-swap-oob="true">'):]
    assert f'action="{url}/request"' in oob
    assert "Kort oppsummering til prosjekteier" in oob


def test_decision_form_fields_are_not_marked_invalid_before_anything_is_sent(as_user, users):
    project = idea_with_pending_bp1(as_user("ida"), users)
    html = as_user("ola").get(gate_url(project)).get_data(as_text=True)
    assert 'aria-invalid' not in html and '="None"' not in html

    response = decide(as_user("ola"), project, "approve", confirm_owner=False)
    assert re.search(r'<input aria-invalid="true"[^>]*id="confirm_owner"', response.get_data(as_text=True))
