"""People: the picker's search (name, unit, title), resolving what was typed in a picker,
and who may own projects (with the administrator's grants of the owner role)."""
from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/people")

from app.people import routes  # noqa: E402,F401
from app.people.fields import picker_value  # noqa: E402

bp.add_app_template_global(picker_value, "picker_value")
