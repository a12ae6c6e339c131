"""The person's own page (/profile): who Faseport thinks they are, and their API tokens."""
from flask import Blueprint

bp = Blueprint("profile", __name__, url_prefix="/profile")

from app.profile import routes  # noqa: E402,F401
