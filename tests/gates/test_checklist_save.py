"""The checklist's hand answers are one form with one save ("Lagre svarene"): only what
the person changed is written, each change with its own audit event; a wrong or stale
answer stops the whole save, explained beside its own item with everything typed kept."""
from __future__ import annotations

import re

from app.extensions import db
from app.models import AuditEvent, ChecklistAnswer, ProjectMember
from tests.gates.flow import (BP2_MANUAL, answers, answers_of, audit_actions, checklist_form, concept_project,
                              gate_url)
from tests.gates.test_gate_flow import item_html
from tests.support.factories import post_form


def _versions(project_id) -> dict[str, int]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(ChecklistAnswer).where(ChecklistAnswer.project_id == project_id))
    return {r.item_key: r.version for r in rows}


def test_one_save_answers_several_items_each_with_its_audit_event(as_user, users):
    project = concept_project(users)
    kari = as_user("kari")
    response = answers(kari, project, {"proposal_prepared": ("ja", ""),
                                       "alternatives_compared": ("nei", "Bare ett alternativ ennå."),
                                       "benefits_analysed": ("ikke_relevant", "Ingen økonomiske gevinster.")},
                       gate="BP2")
    assert response.status_code == 302
    follow = kari.get(response.headers["Location"])
    assert "3 svar er lagret." in follow.get_data(as_text=True)
    assert answers_of(project.id) == {("BP2", "proposal_prepared"): ("ja", ""),
                                      ("BP2", "alternatives_compared"): ("nei", "Bare ett alternativ ennå."),
                                      ("BP2", "benefits_analysed"): ("ikke_relevant", "Ingen økonomiske gevinster.")}
    assert audit_actions(project.id).count("gate.checklist_answered") == 3
    # The history says each of them in words.
    history = kari.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "Kari Nordmann svarte «Nei» på «Alternativer er sammenlignet» i sjekklisten for BP2." in history


def test_saving_again_writes_only_what_changed(as_user, users):
    project = concept_project(users)
    kari = as_user("kari")
    answers(kari, project, {key: ("ja", "") for key in BP2_MANUAL}, gate="BP2")
    before = _versions(project.id)
    events = audit_actions(project.id).count("gate.checklist_answered")

    response = answers(kari, project, {"benefits_analysed": ("nei", "Kvalitative gevinster mangler.")}, gate="BP2")
    assert response.status_code == 302
    after = _versions(project.id)
    assert after["benefits_analysed"] == before["benefits_analysed"] + 1
    assert {k: v for k, v in after.items() if k != "benefits_analysed"} == \
        {k: v for k, v in before.items() if k != "benefits_analysed"}
    assert audit_actions(project.id).count("gate.checklist_answered") == events + 1

    response = answers(kari, project, {}, gate="BP2")  # "Lagre svarene" with nothing changed
    assert response.status_code == 302
    assert "Ingen svar er endret." in kari.get(response.headers["Location"]).get_data(as_text=True)
    assert audit_actions(project.id).count("gate.checklist_answered") == events + 1


def test_two_wrong_answers_are_both_refused_beside_their_items_and_nothing_is_saved(as_user, users):
    project = concept_project(users)
    response = answers(as_user("kari"), project, {"proposal_prepared": ("ja", ""),
                                                  "alternatives_compared": ("nei", ""),
                                                  "benefits_analysed": ("", "Usikker på hva jeg skal svare."),
                                                  "security_privacy_clarified": ("nei", "x" * 2001)},
                       gate="BP2")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Svarene er ikke lagret. Rett punktene som er merket under" in html
    assert "Skriv en kommentar når svaret ikke er Ja." in item_html(html, "alternatives_compared")
    assert "Velg Ja, Nei eller Ikke relevant." in item_html(html, "benefits_analysed")
    assert "Kommentaren kan være på høyst 2000 tegn." in item_html(html, "security_privacy_clarified")
    # The wrong field of each item is marked, and what was typed is kept in every item.
    assert re.search(r'<textarea[^>]*id="c-alternatives_compared"[^>]*aria-invalid="true"', html)
    assert re.search(r'id="a-benefits_analysed-ja"[^>]*aria-invalid="true"', html)
    assert "Usikker på hva jeg skal svare.</textarea>" in html
    assert 'id="a-proposal_prepared-ja" name="answer-proposal_prepared" value="ja" checked' in html
    assert "Skriv en kommentar" not in item_html(html, "proposal_prepared")
    assert answers_of(project.id) == {}  # all or nothing
    assert "gate.checklist_answered" not in audit_actions(project.id)


def test_a_stale_answer_stops_the_save_and_shows_what_is_stored_now(as_user, users):
    """Ola (the owner may answer at BP2 too) changes two items on a page drawn before
    Kari answered one of them: 409 beside that item with Kari's answer, his typing kept
    in both, and nothing of his saved."""
    project = concept_project(users)
    url = gate_url(project, "BP2")
    ola, kari = as_user("ola"), as_user("kari")
    ola_page = ola.get(url).get_data(as_text=True)
    answers(kari, project, {"proposal_prepared": ("nei", "Ikke skrevet ennå.")}, gate="BP2")

    response = post_form(ola, f"{url}/checklist", {
        **checklist_form(ola_page),
        "answer-proposal_prepared": "ja", "answer-proposal_prepared-comment": "Ligger i saken.",
        "answer-alternatives_compared": "ja", "answer-alternatives_compared-comment": "To alternativer."},
        page=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    stale = item_html(html, "proposal_prepared")
    assert "Kari Nordmann endret dette punktet mens du svarte. Svaret nå er «Nei»." in stale
    assert "Kommentaren nå: «Ikke skrevet ennå.»." in stale
    assert "Ligger i saken.</textarea>" in stale and "data-conflict" in stale
    assert "To alternativer.</textarea>" in item_html(html, "alternatives_compared")
    assert answers_of(project.id) == {("BP2", "proposal_prepared"): ("nei", "Ikke skrevet ennå.")}

    # The form now carries the stored version: saving again is his considered choice.
    response = post_form(ola, f"{url}/checklist", checklist_form(html), page=url)
    assert response.status_code == 302
    assert answers_of(project.id) == {("BP2", "proposal_prepared"): ("ja", "Ligger i saken."),
                                      ("BP2", "alternatives_compared"): ("ja", "To alternativer.")}


def test_an_item_left_alone_is_neither_written_back_nor_a_conflict(as_user, users):
    """Kari answers one item while Ola's page is open; Ola saves another item: his save
    goes through and Kari's answer stands (he never touched it)."""
    project = concept_project(users)
    url = gate_url(project, "BP2")
    ola, kari = as_user("ola"), as_user("kari")
    ola_page = ola.get(url).get_data(as_text=True)
    answers(kari, project, {"proposal_prepared": ("nei", "Ikke skrevet ennå.")}, gate="BP2")

    response = post_form(ola, f"{url}/checklist", {
        **checklist_form(ola_page), "answer-alternatives_compared": "ja"}, page=url)
    assert response.status_code == 302
    assert answers_of(project.id) == {("BP2", "proposal_prepared"): ("nei", "Ikke skrevet ennå."),
                                      ("BP2", "alternatives_compared"): ("ja", "")}
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))
                             .where(AuditEvent.action == "gate.checklist_answered")) == 2


def test_the_checklist_form_has_one_labelled_answer_and_comment_per_item(as_user, users):
    project = concept_project(users)
    db.session.execute(db.delete(ProjectMember).where(ProjectMember.project_id == project.id))
    db.session.commit()  # no gevinstansvarlig: a derived item that does not hold
    html = as_user("kari").get(gate_url(project, "BP2")).get_data(as_text=True)
    for key in BP2_MANUAL:
        item = item_html(html, key)
        assert re.search(r'<legend class="ds-sr-only">Svar på: ', item)
        assert f'<label class="ds-label" id="cl-{key}" for="c-{key}">Kommentar</label>' in item
        assert f'aria-labelledby="cl-{key} t-{key}"' in item and f'<strong id="t-{key}">' in item
        assert item.count('type="radio"') == 3 and item.count("<textarea") == 1
    # Derived items have no fields, and say where they are fixed when they do not hold.
    assert "<input" not in item_html(html, "manager_appointed")
    assert "Rett dette" not in item_html(html, "manager_appointed")
    missing = item_html(html, "benefits_owner_appointed")
    assert "<input" not in missing and "Mangler" in missing
    assert f'href="/projects/{project.id}/roles">Rett dette</a>' in missing
