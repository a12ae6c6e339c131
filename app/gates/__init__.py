"""Gate pages: the checklist, "Be om godkjenning" and the owner's decision."""
from flask import Blueprint

bp = Blueprint("gates", __name__, url_prefix="/projects/<int:project_id>/gates")

from app.gates import routes  # noqa: E402,F401


@bp.app_context_processor
def _gate_helpers():
    from app.gates.helpers import helpers

    return helpers()
