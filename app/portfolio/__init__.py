"""The portfolio (porteføljestyring): the overview of every project a person may see with
its side panels, exports, saved views, prioritising, programmes, and the "Skjermet" switch.

The query behind every list is app.portfolio.query (also used by /api/v1/projects), built
from visibility, filters, columns and textsearch beside it; rows fills in what each row shows.
"""
from flask import Blueprint

bp = Blueprint("portfolio", __name__, url_prefix="/portfolio")

from app.portfolio import leavers, priorities, programmes, routes  # noqa: E402,F401 - register the views
