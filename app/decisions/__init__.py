"""Beslutningsgrunnlag: the PDF/A files frozen at each gate decision (the decision record,
and at BP2, BP3 and BP5 the decision document), and the page that serves them."""
from flask import Blueprint

bp = Blueprint("decisions", __name__, url_prefix="/projects/<int:project_id>/beslutningsgrunnlag")

from app.decisions import routes  # noqa: E402,F401


@bp.app_context_processor
def _decision_helpers():
    """`decision_files(project)`: decision id → its frozen PDFs (gate page, history)."""
    from app.decisions.services import document_title, files_by_decision

    return {"decision_files": files_by_decision, "decision_file_title": document_title}
