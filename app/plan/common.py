"""What every plan tab shares: who may edit, safe concurrent edits, the tab page frame."""
from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block

from app import is_htmx
from app.concurrency import StaleEdit, check_version  # noqa: F401 - the tabs import them here
from app.projects.access import get_project_or_404

#: stages in which the plan can no longer be changed
CLOSED_STAGES = ("completed", "rejected", "withdrawn")


def can_edit_plan(project, user, *extra_roles: str) -> bool:
    """The prosjektleder and prosjekteier (and admins) edit the plan while the project runs;
    `extra_roles` are ProjectMember roles that may edit this tab too."""
    if project.stage in CLOSED_STAGES or project.stage == "draft":
        return False
    if user.is_admin or user.id in (project.owner_id, project.manager_id):
        return True
    return any(m.user_id == user.id and m.role in extra_roles for m in project.members)


def load_project(project_id: int):
    """The project for a tab view (404 when missing or hidden)."""
    return get_project_or_404(project_id)


def render_tab(template: str, block: str | None = None, status: int = 200, **context):
    """The whole tab page, or just `block` for an htmx request."""
    context.setdefault("project", context.get("project"))
    if block and is_htmx():
        return render_block(template, block, **context), status
    return render_template(template, **context), status


def require_edit(allowed: bool) -> None:
    if not allowed:
        abort(403)
