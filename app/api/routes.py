"""API views, and the hooks that sign a request in by its Bearer token."""
from __future__ import annotations

from flask import g, jsonify
from flask_babel import gettext as _
from flask_login import login_required

from app.api import bp
from app.api.serializers import project_json
from app.api.tokens import bearer_value, find_active_token, touch
from app.projects.access import get_submitted_project_or_404


@bp.route("/projects/<int:project_id>")
@login_required
def get_project(project_id: int):
    """One project with its gate requests and decisions, in time order."""
    project = get_submitted_project_or_404(project_id)
    return jsonify(project_json(project))


@bp.before_request
def authenticate_bearer():
    """Sign the request in as the token's person. A bad token is refused with 401 JSON,
    never silently replaced by the browser session."""
    value = bearer_value()
    if value is None:
        return None
    from app.errors import render_error

    token = find_active_token(value) if value else None
    if token is None:
        body, code = render_error(401, _("API-nøkkelen er ukjent, ugyldig eller trukket tilbake. "
                                         "Lag en ny nøkkel på profilsiden din."))
        return body, code, {"WWW-Authenticate": 'Bearer realm="Faseport"'}
    touch(token)
    # Flask-Login reads the request's user from g._login_user; the session cookie, if
    # any, is not consulted for this request.
    g._login_user = token.user
    g.api_token = token
    return None


@bp.after_request
def private_answers(response):
    """API answers depend on who asks (the token or the session): never cache them in a
    shared cache, and never serve one person's answer to another."""
    response.headers.setdefault("Cache-Control", "private, no-store")
    response.vary.add("Authorization")
    response.vary.add("Cookie")
    return response
