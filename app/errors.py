"""Error pages in Norwegian, as full pages or as htmx fragments."""
from __future__ import annotations

from flask import Flask, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from jinja2_fragments.flask import render_block
from flask import render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db

#: title and default explanation per status code
MESSAGES = {
    400: (_l("Ugyldig forespørsel"), _l("Forespørselen kunne ikke behandles.")),
    401: (_l("Ikke innlogget"), _l("Du må logge inn for å bruke denne tjenesten.")),
    403: (_l("Ingen tilgang"), _l("Du har ikke tilgang til denne siden eller handlingen.")),
    404: (_l("Fant ikke siden"), _l("Siden finnes ikke, eller den er flyttet.")),
    405: (_l("Ikke tillatt"), _l("Denne handlingen er ikke tillatt her.")),
    409: (_l("Konflikt"), _l("Noen andre endret dette samtidig. Last siden på nytt og se hva som gjelder nå.")),
    413: (_l("For stor forespørsel"), _l("Det du sendte var for stort.")),
    422: (_l("Kunne ikke behandle"), _l("Noe i skjemaet må rettes.")),
    429: (_l("For mange forsøk"), _l("Du har prøvd for mange ganger. Vent litt og prøv igjen.")),
    500: (_l("Noe gikk galt"), _l("Det oppstod en feil hos oss. Prøv igjen om litt. Feilen er logget.")),
    503: (_l("Tjenesten er utilgjengelig"), _l("En tjeneste vi er avhengig av svarer ikke akkurat nå. Prøv igjen om litt.")),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def render_error(code: int, message: str | None = None):
    """The error page for `code`, as a fragment for htmx and JSON for the API."""
    title, default = MESSAGES.get(code, MESSAGES[500])
    text = message or str(default)
    if wants_json():
        return jsonify({"error": str(title), "message": text, "status": code}), code
    context = {"code": code, "title": title, "message": text}
    if request.headers.get("HX-Request") == "true":
        return render_block("errors/error.html", "content", **context), code
    return render_template("errors/error.html", **context), code


def _described(exc: HTTPException) -> str | None:
    """Our own abort(…, description) texts are shown; werkzeug's English defaults are not."""
    default = type(exc).description
    return exc.description if exc.description and exc.description != default else None


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        db.session.rollback()
        body, code = render_error(exc.code or 500, _described(exc))
        # Keep the headers the exception carries (Allow on 405, Retry-After, …).
        headers = {name: value for name, value in exc.get_headers()
                   if name.lower() != "content-type"}
        if code in (429, 503):
            headers.setdefault("Retry-After", "60")
        return body, code, headers

    @app.errorhandler(StaleDataError)
    def stale_data(exc: StaleDataError):
        # A save based on a version someone else changed a moment ago: never a 500.
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        db.session.rollback()
        return render_error(400, str(_l(
            "Skjemaet var utløpt eller manglet sikkerhetsnøkkel. Gå tilbake, last siden på nytt og prøv igjen.")))

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError):
        db.session.rollback()
        original = getattr(exc, "original_exception", None)
        if original is not None:
            app.logger.error("unhandled error on %s %s", request.method, request.path,
                             exc_info=original)
        return render_error(500)
