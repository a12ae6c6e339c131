"""Sign-in and sign-out pages."""
from __future__ import annotations

import math

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.audit import client_ip
from app.auth import bp
from app.auth.forms import LoginForm
from app.auth.services import note_held_back, note_refused, sign_in, sign_out
from app.auth.sessions import _local_path
from app.auth.throttle import Held, finish, reserve
from app.directory import AuthenticationFailed, DirectoryUnavailable, get_directory
from app.forms import EmptyForm

#: the one text for every refused sign-in (wrong password, unknown or locked account)
WRONG = _l("Feil brukernavn eller passord.")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; on POST ask the directory and start a fresh session."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("main.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = _local_path(request.args.get("next"))
        # Set by the session loader when an idle or too old session ended: say so once.
        expired = session.pop("expired", None) or request.args.get("expired") or None
        return render_template("auth/login.html", form=form, expired=expired)
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 422

    username = form.username.data.strip()
    ip = client_ip()
    attempt = reserve(username, ip)
    if isinstance(attempt, Held):
        return _held_back(form, username, attempt)

    try:
        person = get_directory().authenticate(username, form.password.data)
    except DirectoryUnavailable as exc:
        finish(attempt, "unavailable")
        current_app.logger.error("sign-in for %r: directory unavailable: %s", username, exc)
        form.password.data = ""
        return render_template(
            "auth/login.html", form=form, notice=True,
            error=_("Vi får ikke kontakt med brukerkatalogen akkurat nå, så ingen kan logge "
                    "inn. Prøv igjen om et par minutter. Kontakt IKT hvis det varer."),
        ), 503
    except AuthenticationFailed as exc:
        finish(attempt, "failed")
        # The real reason (AD sub-code etc.) goes to the log; the person sees one calm text.
        current_app.logger.info("sign-in refused for %r from %s: %s", username, ip, exc.reason)
        note_refused(username, exc.reason)
        return render_template("auth/login.html", form=form, error=WRONG), 401

    finish(attempt, "succeeded")
    sign_in(person, ip)
    return redirect(_local_path(form.next.data))


def _held_back(form: LoginForm, username: str, held: Held):
    """429 that says when to try again (the clock time, in Norwegian local time)."""
    note_held_back(username, held.reason)
    form.password.data = ""
    seconds = held.retry_after_seconds
    if seconds < 120:
        wait = _("Vent %(seconds)s sekunder og prøv igjen.", seconds=seconds)
    else:
        wait = _("Vent %(minutes)s minutter og prøv igjen (kl. %(time)s).",
                 minutes=math.ceil(seconds / 60), time=format_time(held.retry_at, "HH:mm"))
    return render_template(
        "auth/login.html", form=form,
        error=_("For mange mislykkede forsøk med dette brukernavnet.") + " " + wait,
    ), 429, {"Retry-After": str(seconds)}


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """End the session on the server too, so a copied cookie stops working."""
    EmptyForm.valid_or_400()
    sign_out()
    flash(_("Du er logget ut."), "info")
    return redirect(url_for("auth.login"))
