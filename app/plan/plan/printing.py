"""The live previews of the three decision documents (A4, print CSS), always marked
"Utkast": the prosjektforslag (BP2), the styringsdokument (BP3) and the sluttrapport (BP5).

What the owner decided on is the PDF frozen at the decision (app/decisions); the preview
links to it and never pretends to be it.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_login import login_required

from app.models import Project
from app.models.base import utcnow
from app.plan import bp
from app.plan.common import load_project


@dataclass(frozen=True)
class DecisionInfo:
    """Where the document stands at its gate."""

    #: "decided" (with `decision`), "pending" (asked, not decided) or "none"
    state: str
    request: object | None = None
    decision: object | None = None
    #: the PDFs frozen with the latest decision (None for decisions made before they were kept)
    files: object | None = None


def decision_for(project: Project, gate: str) -> DecisionInfo:
    """The latest request at `gate`: decided (approved, rejected, returned) or still open."""
    requests = [r for r in project.gate_requests if r.gate == gate]
    if not requests:
        return DecisionInfo("none")
    latest = requests[-1]
    if latest.is_open and not latest.decisions:
        return DecisionInfo("pending", latest)
    if latest.final_decision is None:  # withdrawn before the owner decided
        return DecisionInfo("none")
    decision = latest.final_decision
    from app.decisions.services import files_by_decision

    return DecisionInfo("decided", latest, decision, files_by_decision(project).get(decision.id))


def _render(project_id: int, code: str):
    # Imported here: app.decisions reads the plan tabs, which import this module.
    from app.decisions.documents import DOCUMENTS, document_context

    project = load_project(project_id)
    doc = DOCUMENTS[code]
    return render_template("plan/plan/print.html", decision=decision_for(project, doc.gate),
                           printed_at=utcnow(), **document_context(project, doc))


@bp.route("/plan/prosjektforslag")
@login_required
def print_proposal(project_id: int):
    """The prosjektforslag as it stands now (an Utkast)."""
    return _render(project_id, "proposal")


@bp.route("/plan/styringsdokument")
@login_required
def print_steering_document(project_id: int):
    """The styringsdokument as it stands now (an Utkast)."""
    return _render(project_id, "steering")


@bp.route("/plan/sluttrapport")
@login_required
def print_final_report(project_id: int):
    """The sluttrapport as it stands now (an Utkast)."""
    return _render(project_id, "final_report")
