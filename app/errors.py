"""Error pages in Norwegian, as full pages or as htmx fragments."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from flask import render_template
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from app import outage
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


def _outage_safe(handler):
    """An error page needs the signed-in person, i.e. the database: while it is away the
    error handler answers with the 503 page instead of failing itself."""
    from functools import wraps

    @wraps(handler)
    def wrapper(exc):
        try:
            return handler(exc)
        except Exception as failure:  # noqa: BLE001 - only outages are answered here
            if not outage.is_unreachable(failure):
                raise
            _quiet_rollback()
            outage.refused(failure)
            return outage.render_unavailable()
    return wrapper


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    @_outage_safe
    def http_error(exc: HTTPException):
        _quiet_rollback()
        body, code = render_error(exc.code or 500, _described(exc))
        # Keep the headers the exception carries (Allow on 405, Retry-After, …).
        headers = {name: value for name, value in exc.get_headers()
                   if name.lower() != "content-type"}
        if code in (429, 503):
            headers.setdefault("Retry-After", "60")
        return body, code, headers

    @app.errorhandler(SQLAlchemyError)
    @_outage_safe
    def database_error(exc: SQLAlchemyError):
        return database_answer(exc) or _server_error(app, exc)

    @app.errorhandler(CSRFError)
    @_outage_safe
    def csrf_error(exc: CSRFError):
        _quiet_rollback()
        return render_error(400, str(_l(
            "Skjemaet var utløpt eller manglet sikkerhetsnøkkel. Gå tilbake, last siden på nytt og prøv igjen.")))

    @app.errorhandler(InternalServerError)
    @_outage_safe
    def server_error(exc: InternalServerError):
        # Also reached when the commit after the view fails (app/transactions.py).
        original = getattr(exc, "original_exception", None)
        return database_answer(original) or _server_error(app, original)


def _server_error(app: Flask, original: BaseException | None):
    _quiet_rollback()
    if original is not None:
        app.logger.error("unhandled error on %s %s", request.method, request.path,
                         exc_info=original)
    return render_error(500)


def _quiet_rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the pool replaces it
        db.session.close()


#: what a form refused by the database itself says (the forms check the columns' limits
#: first; this is the net for a form that does not)
DATA_ERROR = _l("Noe av det du skrev er for langt eller for stort til å lagres. Ingenting er lagret; "
                "det du skrev står under. Rett det og send på nytt.")
#: a save based on what someone else has changed meanwhile, that no tab answered itself
STALE_ERROR = _l("Noen andre lagret en endring her mens du skrev, så det du sendte er ikke lagret. "
                 "Det du skrev står under. Gå tilbake til siden og se hva som gjelder nå.")
#: two saves of the same new thing at one moment (a unique index refused the second)
INTEGRITY_ERROR = _l("Noen andre lagret det samme samtidig, så det du sendte er ikke lagret. "
                     "Det du skrev står under. Gå tilbake til siden og se hva som gjelder nå.")


def database_answer(exc: BaseException | None):
    """The answer for an error from the database that is not a bug of ours: unreachable
    (503), a value a column cannot hold (422), a unique race (409), a stale save (409).
    None for anything else."""
    if exc is None:
        return None
    if outage.is_unreachable(exc):
        _quiet_rollback()
        outage.refused(exc)
        return outage.render_unavailable()
    from sqlalchemy.orm.exc import StaleDataError

    from app.concurrency import StaleEdit
    from app.limits import ColumnLimitError

    if isinstance(exc, (StaleDataError, StaleEdit)):
        _quiet_rollback()
        explained = isinstance(exc, StaleEdit) and exc.explained
        return render_kept_form(409, exc.message if explained else str(STALE_ERROR))
    if isinstance(exc, ColumnLimitError):
        _quiet_rollback()
        return render_kept_form(422, exc.message)
    if isinstance(exc, DataError):
        _quiet_rollback()
        current_app.logger.warning("value refused by the database on %s %s: %s", request.method,
                                   request.path, str(exc.orig).splitlines()[0] if exc.orig else exc)
        return render_kept_form(422, str(DATA_ERROR))
    if isinstance(exc, IntegrityError):
        _quiet_rollback()
        current_app.logger.warning("unique or foreign key refusal on %s %s: %s", request.method,
                                   request.path, str(exc.orig).splitlines()[0] if exc.orig else exc)
        return render_kept_form(409, str(INTEGRITY_ERROR))
    return None


def typed_fields() -> list[dict]:
    """What the person sent with the form, to show it again and let them send it anew
    (the CSRF token is carried over unseen). Each field has the label the form showed
    (app/form_labels.py); what no label belongs to, or what was left empty, is carried
    along hidden: `shown` is False."""
    from app.form_labels import labels_for

    sent = [(name, value) for name, value in request.form.items(multi=True)
            if name != "csrf_token" and isinstance(value, str)]
    labels = labels_for([name for name, _value in sent])
    fields = []
    for name, value in sent:
        known = labels.get(name)
        choice = dict(known.choices).get(value) if known and known.choices else None
        fields.append({"name": name, "label": known.label if known else name, "value": value[:20000],
                       "shown": known is not None and value.strip() != "",
                       "choice": choice, "long": len(value) > 80 or "\n" in value})
    return fields


def render_kept_form(code: int, message: str):
    """A refused save no tab answered itself: the message, and for a plain form post the
    typed values in a form that sends them again. htmx keeps its form as it is and shows
    the message above the page (templates/base.html, #request-alert)."""
    title, _default = MESSAGES.get(code, MESSAGES[500])
    if wants_json():
        return jsonify({"error": str(title), "message": message, "status": code}), code
    context = {"code": code, "title": title, "message": message}
    if request.headers.get("HX-Request") == "true":
        return render_block("errors/error.html", "content", **context), code, {
            "HX-Retarget": "#request-alert", "HX-Reswap": "innerHTML"}
    return render_template("errors/kept.html", fields=typed_fields() if request.method == "POST" else [],
                           csrf=request.form.get("csrf_token", ""), **context), code
