"""The demo's past decisions have their PDFs, made by the same code as a real decision
(app.demo.economy.freeze_past_decisions → app.decisions.services)."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func

from app.extensions import db
from app.models import DecisionPdf, GateDecision, GateRequest, Project
from tests.decisions.helpers import fonts_not_embedded, open_pdf, pdfa_declaration
from tests.support.factories import login_as

# Rendering the demo's 71 files takes most of a minute of CPU: run once, on SQLite. The
# PostgreSQL pass stores and serves decision PDFs in tests/decisions/test_frozen_pdfs.py,
# and loads the same demo (without rendering) in the accessibility test.
pytestmark = [pytest.mark.sqlite_only, pytest.mark.usefixtures("decision_pdfs")]


def test_every_demo_decision_has_its_record_and_document(db, client):
    from app.demo import load

    assert load()
    decisions = db.session.execute(db.select(GateDecision, GateRequest.gate).join(GateRequest)).all()
    assert len(decisions) > 40
    files = {}
    for row in db.session.scalars(db.select(DecisionPdf)):
        files.setdefault(row.decision_id, set()).add(row.kind)
    expected = {"BP2": {"protocol", "proposal"}, "BP3": {"protocol", "steering"},
                "BP5": {"protocol", "final_report"}}
    for decision, gate in decisions:
        assert files.get(decision.id) == expected.get(gate, {"protocol"}), (gate, decision.decision)

    # One of them as the archive gets it: the sluttrapport of a completed project.
    final = db.session.scalar(db.select(DecisionPdf).where(DecisionPdf.kind == "final_report")
                              .order_by(DecisionPdf.id))
    pdf = open_pdf(final.content)
    assert pdfa_declaration(pdf) == ("2", "B") and fonts_not_embedded(pdf) == []
    assert hashlib.sha256(final.content).hexdigest() == final.sha256

    # The history of that project links the files of its decisions.
    project = db.session.get(Project, final.project_id)
    login_as(client, project.owner)
    html = client.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert html.count("Beslutningsgrunnlag (PDF)") == db.session.scalar(
        db.select(func.count(DecisionPdf.id)).where(DecisionPdf.project_id == project.id,
                                                    DecisionPdf.kind == "protocol"))
    assert "Sluttrapport (PDF)" in html
    # A second load changes nothing (the demo loads once).
    assert not load()
