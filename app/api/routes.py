"""API views."""
from __future__ import annotations

from flask import abort, jsonify
from flask_login import login_required

from app.api import bp
from app.api.serializers import project_json
from app.projects.access import get_project_or_404


@bp.route("/projects/<int:project_id>")
@login_required
def get_project(project_id: int):
    """One project with its gate requests and decisions, in time order."""
    project = get_project_or_404(project_id)
    if project.is_draft:
        abort(404)
    return jsonify(project_json(project))
