"""The frozen decision documents (beslutningsgrunnlag): PDF/A files stored at a gate
decision, in the same transaction as the decision, and never changed afterwards."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.gate import GateDecision

#: what a stored file is: the decision record, or the document decided on at BP2/BP3/BP5
PDF_KINDS = ("protocol", "proposal", "steering", "final_report")


class FrozenPdfError(Exception):
    """Someone tried to change or delete a stored decision PDF."""


class DecisionPdf(db.Model):
    """One PDF/A-2b file frozen at a gate decision. Rows are only ever inserted."""

    __tablename__ = "decision_pdf"
    __table_args__ = (UniqueConstraint("decision_id", "kind", name="uq_decision_pdf_decision_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("gate_decision.id", ondelete="CASCADE"), index=True)
    #: BP1 … BP6 (the decision's gate, kept here for lists and file names)
    gate: Mapped[str] = mapped_column(String(4))
    #: one of PDF_KINDS
    kind: Mapped[str] = mapped_column(String(16))
    #: the file name offered on download, e.g. "Faseport-12-BP3-styringsdokument-2026-03-03.pdf"
    filename: Mapped[str] = mapped_column(String(200))
    #: the PDF itself (loaded only when served)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    #: SHA-256 of `content`, hex: lets the archive check the file it was given
    sha256: Mapped[str] = mapped_column(String(64))
    #: size of `content` in bytes
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[GateDecision] = relationship()

    def __repr__(self) -> str:
        return f"<DecisionPdf {self.id} {self.gate} {self.kind} {self.sha256[:12]}>"


@event.listens_for(DecisionPdf, "before_update")
def _refuse_update(mapper, connection, target: DecisionPdf) -> None:
    """Defence in depth: whatever code path tries it, a stored PDF is never rewritten."""
    raise FrozenPdfError(f"decision pdf {target.id} is frozen")


@event.listens_for(DecisionPdf, "before_delete")
def _refuse_delete(mapper, connection, target: DecisionPdf) -> None:
    raise FrozenPdfError(f"decision pdf {target.id} is frozen")
