"""The decision is frozen as PDF/A: the beslutningsprotokoll at every gate, the decision
document at BP2, BP3 and BP5, stored with their SHA-256 in the decision's transaction, and
never changed by anything done later."""
from __future__ import annotations

import hashlib
import re

import pytest

from app.extensions import db
from app.models import AuditEvent, DecisionPdf, GateDecision
from app.models.decision_pdf import FrozenPdfError
from tests.decisions.helpers import (A4, font_count, fonts_not_embedded, open_pdf, outline_titles,
                                     pdfa_declaration, project_before, srgb_output_intent, xmp_title)
from tests.gates.flow import decide, fresh, gate_url
from tests.support.factories import post_form

pytestmark = pytest.mark.usefixtures("decision_pdfs")


def pdfs_of(project_id) -> list[DecisionPdf]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(DecisionPdf).where(DecisionPdf.project_id == project_id)
                                   .order_by(DecisionPdf.id)))


def link_to(html: str, text: str) -> str:
    match = re.search(rf'href="([^"]+)"[^>]*>{re.escape(text)}</a>', html)
    assert match, f"no link «{text}»"
    return match.group(1)


def test_the_bp3_styringsdokument_is_pdfa_and_never_changes_after_the_decision(users, as_user):
    project = project_before(users, "BP3", stage="planning")
    ola, kari = as_user("ola"), as_user("kari")

    response = decide(ola, project, "approve", gate="BP3", comment="Planen er god. Husk tillitsvalgte.")
    assert response.status_code == 302, response.get_data(as_text=True)

    # The gate page links both files; they are what was stored.
    html = kari.get(gate_url(project, "BP3")).get_data(as_text=True)
    document_url = link_to(html, "Styringsdokument (PDF)")
    protocol_url = link_to(html, "Beslutningsgrunnlag (PDF)")
    stored = {row.kind: row for row in pdfs_of(project.id)}
    assert set(stored) == {"protocol", "steering"}

    response = kari.get(document_url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert f"Faseport-prosjekt-{project.id}-BP3-styringsdokument-" in disposition and disposition.endswith('.pdf')
    first = response.get_data()
    assert first == stored["steering"].content
    assert hashlib.sha256(first).hexdigest() == stored["steering"].sha256

    keep(stored["steering"].filename, first)
    pdf = open_pdf(first)
    assert pdfa_declaration(pdf) == ("2", "B")
    assert srgb_output_intent(pdf)
    assert font_count(pdf) >= 1 and fonts_not_embedded(pdf) == []
    assert all(tuple(round(float(v)) for v in page.mediabox[2:]) == A4 for page in pdf.pages)
    assert len(pdf.pages) >= 2
    assert "Styringsdokument" in xmp_title(pdf) and "godkjent" in xmp_title(pdf)
    # Every section of the plan template is in the file, in order (its bookmarks).
    assert [re.sub(r"^\d+\s*", "", t) for t in outline_titles(pdf)] == [
        "Beslutning ved BP3", "Bakgrunn og dagens situasjon", "Formål", "Mål", "Omfang, avgrensninger og grensesnitt",
        "Nullalternativet og alternativene", "Gevinstrealiseringsplan", "Organisering og roller",
        "Interessenter og kommunikasjon", "Milepæler", "Økonomi", "Usikkerhet og ITPOSMO",
        "Personvern og informasjonssikkerhet", "Oppfølging og rapportering", "Endringsstyring"]

    keep(stored["protocol"].filename, kari.get(protocol_url).get_data())
    protocol = open_pdf(kari.get(protocol_url).get_data())
    assert pdfa_declaration(protocol) == ("2", "B") and fonts_not_embedded(protocol) == []
    assert "Beslutningsprotokoll" in xmp_title(protocol)

    # Kari edits the plan afterwards: the preview shows it as an Utkast, the PDF is unchanged.
    plan_url = f"/projects/{project.id}/plan"
    r = post_form(kari, f"{plan_url}/sections/background", {
        "version": str(fresh_plan_version(project.id)),
        "background": "Helt ny bakgrunnstekst skrevet etter beslutningen.",
        "current_situation": "", "zero_alternative": "Uten prosjektet fortsetter papirlistene i mange år til."},
        page=plan_url)
    assert r.status_code == 303, r.get_data(as_text=True)
    preview = kari.get(f"{plan_url}/styringsdokument").get_data(as_text=True)
    assert "UTKAST" in preview and "Helt ny bakgrunnstekst" in preview
    again = kari.get(document_url).get_data()
    assert again == first
    assert hashlib.sha256(again).hexdigest() == pdfs_of(project.id)[1].sha256 == stored["steering"].sha256

    # The history names the files and their checksums are in the audit log.
    history = kari.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "Beslutningsgrunnlaget ved BP3 ble låst som PDF/A" in history
    assert link_to(history, "Styringsdokument (PDF)") == document_url
    frozen = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "decision.frozen",
                                                           AuditEvent.project_id == project.id))
    assert {f["sha256"] for f in frozen.data["files"]} == {row.sha256 for row in stored.values()}


def keep(name: str, data: bytes) -> None:
    """Save a PDF under test-artifacts/pdfs/ to look at (as the screenshots are kept)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdfs"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def fresh_plan_version(project_id) -> int:
    from app.models import ProjectPlan

    db.session.expire_all()
    return db.session.scalar(db.select(ProjectPlan.version).where(ProjectPlan.project_id == project_id))


@pytest.mark.parametrize("gate, stage, decision, kinds", [
    ("BP1", "idea", "reject", {"protocol"}),
    ("BP2", "concept", "return", {"protocol", "proposal"}),
    ("BP5", "handover", "postpone", {"protocol", "final_report"}),
])
def test_every_decision_freezes_its_record_and_the_document_as_it_stood(users, as_user, gate, stage,
                                                                          decision, kinds):
    from tests.gates.flow import tomorrow

    project = project_before(users, gate, stage=stage)
    extra = {"postpone_until": tomorrow()} if decision == "postpone" else {}
    response = decide(as_user("ola"), project, decision, gate=gate, comment="Mangler kostnadene for drift.",
                      **extra)
    assert response.status_code == 302, response.get_data(as_text=True)
    rows = pdfs_of(project.id)
    assert {r.kind for r in rows} == kinds
    decision_row = db.session.scalar(db.select(GateDecision).order_by(GateDecision.id.desc()))
    assert all(r.decision_id == decision_row.id and r.gate == gate for r in rows)
    for row in rows:
        pdf = open_pdf(row.content)
        assert pdfa_declaration(pdf) == ("2", "B") and fonts_not_embedded(pdf) == []
        assert hashlib.sha256(row.content).hexdigest() == row.sha256 and row.size == len(row.content)


def test_a_stored_pdf_cannot_be_changed_or_deleted(users, as_user):
    project = project_before(users, "BP1", stage="idea")
    decide(as_user("ola"), project, "reject", gate="BP1", comment="Ikke nå.")
    row = pdfs_of(project.id)[0]
    row.filename = "endret.pdf"
    with pytest.raises(FrozenPdfError):
        db.session.flush()
    db.session.rollback()
    row = pdfs_of(project.id)[0]
    db.session.delete(row)
    with pytest.raises(FrozenPdfError):
        db.session.flush()
    db.session.rollback()


def test_the_pdfs_follow_the_projects_access_rules(users, as_user, client):
    project = project_before(users, "BP2", stage="concept", restricted=True)
    other = project_before(users, "BP2", stage="concept", title="Et annet prosjekt")
    decide(as_user("ola"), project, "approve", gate="BP2")
    rows = pdfs_of(project.id)
    assert {r.kind for r in rows} == {"protocol", "proposal"}
    url = f"/projects/{project.id}/beslutningsgrunnlag/{rows[0].id}.pdf"

    assert as_user("kari").get(url).status_code == 200          # the manager
    assert as_user("lise").get(url).status_code == 200          # portefølje sees restricted projects
    assert as_user("ida").get(url).status_code == 200           # the submitter
    assert as_user("per").get(url).status_code == 404           # IKT, no role in it
    assert as_user("siri").get(url).status_code == 404
    # The file of one project is not found under another's address.
    assert as_user("kari").get(f"/projects/{other.id}/beslutningsgrunnlag/{rows[0].id}.pdf").status_code == 404
    # Signed out: to the sign-in page, never the file.
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
