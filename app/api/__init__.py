"""JSON for integrations: /api/v1/…"""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from app.api import routes  # noqa: E402,F401
from app.api import listing, tokens  # noqa: E402,F401 - the project list and Bearer tokens
