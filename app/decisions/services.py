"""Freezing a gate decision: the beslutningsprotokoll and, at BP2, BP3 and BP5, the
decision document are rendered to PDF/A-2b and stored with their SHA-256, in the
transaction of the decision itself. A stored PDF is never rendered again.

What the document is for each kind of decision: the document exactly as it stood when the
owner decided, whatever the decision. An approval freezes what was approved; a rejection,
a send-back or a postponement freezes what the owner looked at when saying no, not yet or
later, so the archive shows why the next version differs. Every decision gets its own
files; a document sent back and approved later is stored twice, once per decision.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_babel import gettext as _

from app.audit import record
from app.decisions.documents import DOCUMENT_FOR_GATE, Document, document_context
from app.decisions.pdf import render_many, render_pdf, sha256_hex
from app.extensions import db
from app.models import DecisionPdf, GateDecision, GateRequest, Project
from app.plan.plan.queries import get_plan
from app.workflow import Gate
from app.workflow.i18n import N_

log = logging.getLogger(__name__)

#: the decision as a noun, for the documents ("Godkjent", …)
VERDICTS = {"approve": N_("Godkjent"), "reject": N_("Avvist"), "return": N_("Sendt tilbake"), "postpone": N_("Utsatt")}
#: the protocol's name in lists and file names
PROTOCOL_TITLE = N_("Beslutningsprotokoll")


def filename_for(project: Project, gate: str, kind: str, decision: GateDecision) -> str:
    """"Faseport-prosjekt-12-BP3-styringsdokument-2026-03-03-beslutning-40.pdf": ASCII, sortable,
    and unique per decision."""
    slug = "beslutningsprotokoll" if kind == "protocol" else next(
        d.slug for d in DOCUMENT_FOR_GATE.values() if d.code == kind)
    from app.templating import oslo_date

    day = oslo_date(decision.decided_at, "yyyy-MM-dd")
    return f"Faseport-prosjekt-{project.id}-{gate}-{slug}-{day}-beslutning-{decision.id}.pdf"


def _base_url() -> str:
    return current_app.config.get("BASE_URL", "").rstrip("/")


def _render_protocol(project: Project, gate: Gate, decision: GateDecision, request: GateRequest,
                     document: Document | None) -> str:
    plan = get_plan(project)
    return render_template("decisions/pdf_protocol.html", project=project, gate=gate, decision=decision,
                           request=request, document=document, verdicts=VERDICTS,
                           archive_ref=plan.archive_ref if plan else "", base_url=_base_url())


def _render_document(project: Project, doc: Document, decision: GateDecision) -> str:
    return render_template("decisions/pdf_document.html", decision=decision, verdicts=VERDICTS,
                           base_url=_base_url(), **document_context(project, doc))


def prepare(project: Project, gate: Gate, decision: GateDecision) -> list[tuple[str, str]]:
    """(kind, html) of each file the decision freezes: the protocol, and the document.

    Written in the kommune's language (DEFAULT_LOCALE), whatever the owner reads the site
    in: the files go to the kommune's archive as they are."""
    from flask_babel import force_locale

    from app.i18n import default_locale

    db.session.flush()  # the decision row has its id and time
    request = decision.request
    document = DOCUMENT_FOR_GATE.get(gate.value)
    with force_locale(default_locale()):
        files = [("protocol", _render_protocol(project, gate, decision, request, document))]
        if document is not None:
            files.append((document.code, _render_document(project, document, decision)))
    return files


def store(project: Project, gate: Gate, decision: GateDecision,
          rendered: list[tuple[str, bytes]]) -> list[DecisionPdf]:
    """Add the rendered files, with their checksums, and the audit event naming them."""
    rows = []
    for kind, pdf in rendered:
        row = DecisionPdf(project_id=project.id, decision_id=decision.id, gate=gate.value, kind=kind,
                          filename=filename_for(project, gate.value, kind, decision), content=pdf,
                          sha256=sha256_hex(pdf), size=len(pdf))
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    event = record("decision.frozen", obj=decision, project_id=project.id, gate=gate.value,
                   decision=decision.decision,
                   files=[{"kind": r.kind, "sha256": r.sha256, "size": r.size, "filename": r.filename}
                          for r in rows])
    event.at = decision.decided_at  # part of the decision (the demo's lie in the past)
    return rows


def rendering_on() -> bool:
    """Off only in the test suite's tests that never look at a PDF (config.DECISION_PDFS)."""
    on = current_app.config.get("DECISION_PDFS", True)
    if not on:
        log.info("DECISION_PDFS is off: the documents are made as HTML, no PDF is stored")
    return on


def freeze_decision(project: Project, gate: Gate, decision: GateDecision) -> list[DecisionPdf]:
    """Render and store the decision's PDFs (part of the decision's transaction)."""
    files = prepare(project, gate, decision)
    if not rendering_on():
        return []
    return store(project, gate, decision, [(kind, render_pdf(html)) for kind, html in files])


def freeze_decisions(items: list[tuple[Project, Gate, GateDecision]]) -> int:
    """`freeze_decision` for many decisions at once (the demo's past decisions): the same
    HTML and the same rendering, spread over the cores. Returns the number of files."""
    prepared = [(item, prepare(*item)) for item in items]
    if not rendering_on():
        return 0
    pdfs = iter(render_many([html for _item, files in prepared for _kind, html in files]))
    count = 0
    for item, files in prepared:
        count += len(store(*item, [(kind, next(pdfs)) for kind, _html in files]))
    return count


@dataclass
class DecisionFiles:
    """The PDFs frozen with one decision: the protocol first, then the document."""

    decision_id: int
    files: list[DecisionPdf] = field(default_factory=list)

    @property
    def protocol(self) -> DecisionPdf | None:
        return next((f for f in self.files if f.kind == "protocol"), None)

    @property
    def document(self) -> DecisionPdf | None:
        return next((f for f in self.files if f.kind != "protocol"), None)


def files_by_decision(project: Project) -> dict[int, DecisionFiles]:
    """decision id → its frozen PDFs, for one project (one statement; contents not loaded)."""
    rows = db.session.execute(
        db.select(DecisionPdf).where(DecisionPdf.project_id == project.id).order_by(DecisionPdf.id)
    ).scalars().all()
    out: dict[int, DecisionFiles] = {}
    for row in rows:
        out.setdefault(row.decision_id, DecisionFiles(row.decision_id)).files.append(row)
    return out


def get_pdf(project: Project, pdf_id: int) -> DecisionPdf | None:
    row = db.session.get(DecisionPdf, pdf_id)
    return row if row is not None and row.project_id == project.id else None


def document_title(kind: str) -> str:
    if kind == "protocol":
        return _(PROTOCOL_TITLE)
    for doc in DOCUMENT_FOR_GATE.values():
        if doc.code == kind:
            return str(doc.title)
    return kind


# --- the history tab ----------------------------------------------------------------------
def describe_frozen(event) -> str | None:
    if event.action != "decision.frozen":
        return None
    d = event.data or {}
    names = ", ".join(document_title(f.get("kind", "")).lower() for f in d.get("files", []))
    return _("Beslutningsgrunnlaget ved %(g)s ble låst som PDF/A (%(n)s).", g=d.get("gate", ""), n=names)
