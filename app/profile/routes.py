"""/profile: the signed-in person's details, language and personal API tokens.

The token list is a block (`tokens`) of templates/profile/show.html whose root owns its
id, so htmx swaps just that part; without JavaScript every form posts and the page comes
back whole. A new token is shown once, in the response to the POST that created it:
it is never stored in clear text, nor put in the (signed, not encrypted) session cookie.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from app import is_htmx
from app.api.tokens import (MAX_ACTIVE_TOKENS, TOKEN_PREFIX, active_tokens_count, create_token,
                            revoke_token, tokens_of)
from app.extensions import db
from app.models import ApiToken
from app.profile import bp
from app.notifications.services import is_local_path
from app.profile.forms import RevokeForm, TokenForm
from app.profile.language import NEXT_MAX, LanguageForm, choose_locale

PAGE = "profile/show.html"

#: the Norwegian names of the application roles
ROLE_LABELS = {"admin": _l("Administrator"), "ikt": _l("IKT"), "personvern": _l("Personvernombud"),
               "portefolje": _l("Porteføljestyring"), "prosjekteier": _l("Prosjekteier (gruppe)")}


def get_token_or_404(token_id: int) -> ApiToken:
    """One of the signed-in person's tokens; anyone else's answers 404, like a missing one."""
    token = db.get_or_404(ApiToken, token_id)
    if not token.can_revoke(current_user):
        abort(404)
    return token


def _render(status: int = 200, *, form: TokenForm | None = None, new_token: str = "",
            new_token_name: str = "", message: str = "", tone: str = "success"):
    """The page, or only its token block for htmx."""
    return render_profile(status, form=form, new_token=new_token, new_token_name=new_token_name,
                          message=message, tone=tone, block="tokens")


def render_profile(status: int = 200, *, block: str = "", form: TokenForm | None = None,
                   new_token: str = "", new_token_name: str = "", message: str = "",
                   tone: str = "success", preferences=None, language_form=None):
    """The profile page, or (for htmx) one of its blocks: `tokens` or
    `notification_preferences`. `message` is shown in that block."""
    from app.calendar.feeds import feeds_of
    from app.notifications.forms import preferences_form
    from app.notifications.kinds import TOPICS
    from app.notifications.preferences import preferences_of

    context = dict(
        form=form or TokenForm(formdata=None), revoke_form=RevokeForm(), tokens=tokens_of(current_user),
        new_token=new_token, new_token_name=new_token_name, role_labels=ROLE_LABELS,
        token_prefix=TOKEN_PREFIX, max_tokens=MAX_ACTIVE_TOKENS, tone=tone,
        message=message if block == "tokens" else "",
        preferences_message=message if block == "notification_preferences" else "",
        preferences=preferences or preferences_form(preferences_of(current_user)), topics=TOPICS,
        calendar_feeds=feeds_of(current_user),
        language_form=language_form or LanguageForm(formdata=None, locale=current_user.locale or ""),
    )
    if is_htmx() and block:
        return render_block(PAGE, block, **context), status
    return render_template(PAGE, **context), status


@bp.route("")
@login_required
def show_profile():
    """Name, unit and roles as the directory gives them, and the person's API tokens."""
    return _render()


@bp.route("/tokens", methods=["POST"])
@login_required
def create_api_token():
    """Create a token and show it, this once."""
    form = TokenForm()
    valid = form.validate_on_submit()
    if valid and active_tokens_count(current_user) >= MAX_ACTIVE_TOKENS:
        form.name.errors.append(_(
            "Du har allerede %(n)s aktive nøkler. Trekk tilbake en du ikke bruker før du lager en ny.",
            n=MAX_ACTIVE_TOKENS))
        valid = False
    if not valid:
        return _render(422, form=form)
    token, plaintext = create_token(current_user, form.name.data)
    return _render(201, new_token=plaintext, new_token_name=token.name)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    """Revoke one of my tokens: anything using it gets 401 from now on."""
    token = get_token_or_404(token_id)
    RevokeForm.valid_or_400()
    changed = revoke_token(token, current_user)
    message = (_("API-nøkkelen «%(n)s» er trukket tilbake. Den virker ikke lenger.", n=token.name)
               if changed else _("API-nøkkelen «%(n)s» var allerede trukket tilbake.", n=token.name))
    if is_htmx():
        return _render(message=message)
    flash(message, "success")
    return redirect(url_for("profile.show_profile") + "#api-tokens", code=303)


@bp.route("/language", methods=["POST"])
@login_required
def choose_language():
    """The language menu in the header and the profile page: store the choice and go back
    to the page the person was on (`next`), now in the chosen language."""
    form = LanguageForm()
    if not form.validate_on_submit():
        return render_profile(422, language_form=form)
    choose_locale(current_user, form.locale.data)
    back = form.next.data or ""
    if not is_local_path(back) or len(back) > NEXT_MAX:
        back = url_for("profile.show_profile") + "#sprak"
    return redirect(back, code=303)
