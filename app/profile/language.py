"""The person's choice of language (bokmål, nynorsk, English), from the profile page or
the header's language menu: the form, the operation with its audit event, and its
sentence in the audit log."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, ValidationError

from app.audit import record
from app.forms import EmptyForm
from app.i18n import LOCALE_NAMES, LOCALES
from app.models import User

#: longest `next` we send someone back to (a page's path and query)
NEXT_MAX = 2000


class LanguageForm(EmptyForm):
    """One of nb/nn/en, or "" for no choice (the browser and the kommune decide); `next`
    is the page the person came from (the header menu sends them back to it)."""

    fills = User
    #: `next` is only followed when it is a path of this site (the route checks it)
    fills_columns = {"next": None}

    locale = RadioField(_l("Språk"), choices=[("", _l("Automatisk: nettleserens språk, ellers kommunens"))]
                        + [(code, LOCALE_NAMES[code]) for code in LOCALES],
                        validate_choice=False, default="")
    next = HiddenField()

    def validate_locale(self, field):
        # Checked here rather than by RadioField, whose own message is not ours.
        if field.data not in ("", *LOCALES):
            raise ValidationError(_("Velg bokmål, nynorsk eller English."))


def choose_locale(user, locale: str | None) -> bool:
    """Store `user`'s language (None: no choice); audited. False when nothing changed."""
    locale = locale or None
    if locale is not None and locale not in LOCALES:
        raise ValueError(f"not a locale: {locale!r}")
    if user.locale == locale:
        return False
    previous, user.locale = user.locale, locale
    record("profile.locale_chosen", actor=user, obj=user, locale=locale or "", previous=previous or "")
    return True


def describe_locale_event(event) -> str | None:
    """The sentence for a chosen language, where the audit log is read."""
    if event.action != "profile.locale_chosen":
        return None
    who = event.actor_name or _("Systemet")
    chosen = (event.data or {}).get("locale")
    if not chosen:
        return _("%(who)s lot nettleseren og kommunens standard velge språk.", who=who)
    return _("%(who)s valgte språket %(lang)s.", who=who, lang=LOCALE_NAMES.get(chosen, chosen))
