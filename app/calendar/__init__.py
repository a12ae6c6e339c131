"""Calendar feeds: a personal, revocable address that Outlook, Google Calendar and Apple
Calendar subscribe to, and one per project. The address carries a secret token (only
its hash is stored, as for the API tokens); the feed holds exactly what its person may
see. `feeds` keeps the addresses, `events` finds the dates, `ics` writes RFC 5545 with
the icalendar library, `routes` are the thin views."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

from app.calendar import routes  # noqa: E402,F401
