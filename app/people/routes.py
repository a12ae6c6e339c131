"""People search for the picker (htmx) and as JSON."""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from app.directory import DirectoryUnavailable, get_directory
from app.errors import render_error
from app.people import bp

MAX_RESULTS = 20


@bp.route("/search")
@login_required
def search_people():
    """Up to 20 people whose name matches `q`; `field` names the input the choice fills."""
    query = (request.args.get("q") or "").strip()[:100]
    field = request.args.get("field", "person")
    if not field.replace("_", "").isalnum():
        field = "person"
    try:
        people = get_directory().search_people(query, limit=MAX_RESULTS) if len(query) >= 2 else []
    except DirectoryUnavailable as exc:
        current_app.logger.error("people search: directory unavailable: %s", exc)
        return render_error(503, _("Brukerkatalogen svarer ikke. Prøv igjen om litt."))
    return render_template("people/_results.html", people=people[:MAX_RESULTS], query=query,
                           field=field)
