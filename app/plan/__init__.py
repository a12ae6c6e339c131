"""The project plan and its follow-up: one tab per part, under /projects/<id>/….

Every tab is a package here with the same shape (DEVELOPERS.md walks through `risks/`):
`routes.py` registers its views on this blueprint (endpoints `plan.<name>`, which the gate
checklists link to), `forms.py`, `operations.py` (the state changes and their audit
events) and its templates in `templates/plan/<tab>/`.
"""
from flask import Blueprint

bp = Blueprint("plan", __name__, url_prefix="/projects/<int:project_id>")

# The tabs, in the order of the project's tab bar. Plain imports: a missing or misnamed
# tab fails at start-up instead of silently disappearing.
from app.plan import roles  # noqa: E402,F401
from app.plan import plan  # noqa: E402,F401
from app.plan import milestones  # noqa: E402,F401
from app.plan import economy  # noqa: E402,F401
from app.plan import benefits  # noqa: E402,F401
from app.plan import risks  # noqa: E402,F401
from app.plan import stakeholders  # noqa: E402,F401
from app.plan import status  # noqa: E402,F401
from app.plan import changes  # noqa: E402,F401
from app.plan import tasks  # noqa: E402,F401
