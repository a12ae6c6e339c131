"""Loading a project for a request: missing or not visible → 404, not allowed → 403."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import GateRequest, Project, ProjectMember


def project_query(project_id: int):
    """SELECT one project with its members and gate requests loaded (no access check)."""
    return db.select(Project).where(Project.id == project_id).options(
        selectinload(Project.members).joinedload(ProjectMember.user),
        selectinload(Project.gate_requests).selectinload(GateRequest.decisions),
    )


def get_project_or_404(project_id: int) -> Project:
    """The project if the signed-in person may see it. A hidden one answers 404, so its
    existence does not leak."""
    project = db.session.execute(project_query(project_id)).scalar_one_or_none()
    if project is None or not project.can_view(current_user):
        abort(404)
    return project


def get_submitted_project_or_404(project_id: int) -> Project:
    """Like get_project_or_404, and a draft answers 404 too: until it is submitted an idea
    has no score, no restriction, no calendar and no API entry."""
    project = get_project_or_404(project_id)
    if project.is_draft:
        abort(404)
    return project


def require(allowed: bool) -> None:
    """403 unless the permission check passed."""
    if not allowed:
        abort(403)
