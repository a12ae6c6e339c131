"""Serving a frozen decision PDF: the project's access rules exactly (hidden → 404)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response
from flask_login import login_required
from sqlalchemy.orm import undefer

from app.decisions import bp
from app.extensions import db
from app.models import DecisionPdf
from app.projects.access import get_project_or_404


@bp.route("/<int:pdf_id>.pdf")
@login_required
def download(project_id: int, pdf_id: int):
    """The stored bytes, as they were frozen: never rendered again."""
    project = get_project_or_404(project_id)  # missing, draft or restricted → 404
    row = db.one_or_404(db.select(DecisionPdf).where(DecisionPdf.id == pdf_id, DecisionPdf.project_id == project.id)
                        .options(undefer(DecisionPdf.content)))
    response = Response(row.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"inline; filename=\"{row.filename}\"; filename*=UTF-8''{quote(row.filename)}")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Length"] = str(row.size)
    # The checksum the history shows, for an archive that wants to check the file it got.
    response.headers["X-Checksum-SHA256"] = row.sha256
    return response
