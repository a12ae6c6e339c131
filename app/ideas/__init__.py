"""Submitting ideas: "Ny idé", private drafts and inline validation."""
from flask import Blueprint

bp = Blueprint("ideas", __name__, url_prefix="/ideas")

from app.ideas import routes  # noqa: E402,F401
