"""Project pages: the list, the overview, history, withdraw and owner hand-over."""
from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")

from app.projects import routes  # noqa: E402,F401
from app.projects.tabs import project_tab_groups  # noqa: E402

bp.add_app_template_global(project_tab_groups)
