"""Which language a page, an e-mail or a feed is written in: bokmål, nynorsk or English.

The message ids are bokmål; `translations/{nb,nn,en}` hold the catalogues. The kommune's
default is the `DEFAULT_LOCALE` setting. A person who has chosen a language (`User.locale`,
set on the profile page or from the header's language menu) gets it everywhere, also in
e-mails and reminders (`locale_for`). Before anyone chooses, the browser's
`Accept-Language` decides among the three; outside a request the default holds.
"""
from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import format_decimal, get_locale
from sqlalchemy.exc import SQLAlchemyError

#: the languages Faseport is written in, in the order the language menu shows them
LOCALES = ("nb", "nn", "en")
#: each language's name in that language (never translated: a reader looks for their own)
LOCALE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}

#: Accept-Language tags (lower case) that mean one of ours: "no" is written Norwegian,
#: which in practice is bokmål; regional variants count as their language
_BROWSER_TAGS = {"nb": "nb", "no": "nb", "nb-no": "nb", "no-no": "nb", "nn": "nn", "nn-no": "nn",
                 "en": "en"}


def is_locale(value: str | None) -> bool:
    """True for one of the three codes Faseport speaks."""
    return value in LOCALES


def default_locale() -> str:
    """The kommune's language (DEFAULT_LOCALE): nb unless set to nn or en."""
    return current_app.config.get("DEFAULT_LOCALE", "nb")


def from_browser(header_languages) -> str | None:
    """The best of nb/nn/en among the browser's Accept-Language, by its quality order."""
    for tag, _quality in header_languages:  # werkzeug sorts them, best first
        tag = (tag or "").strip().lower().replace("_", "-")
        locale = _BROWSER_TAGS.get(tag) or _BROWSER_TAGS.get(tag.split("-")[0])
        if locale:
            return locale
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector: the person's choice, else the browser, else the default."""
    if not has_request_context():
        return default_locale()
    from flask_login import current_user

    try:
        chosen = getattr(current_user, "locale", None) if current_user.is_authenticated else None
    except SQLAlchemyError:  # the database is away: the 503 page follows the browser
        chosen = None
    if is_locale(chosen):
        return chosen
    return from_browser(request.accept_languages) or default_locale()


def locale_for(user) -> str:
    """The language to write to `user` in when they are not the one asking (e-mails,
    reminders, digests, their calendar feed): their choice, else the kommune's default."""
    chosen = getattr(user, "locale", None)
    return chosen if is_locale(chosen) else default_locale()


def current_locale() -> str:
    """The code of the language being written now ("nb", "nn" or "en"), for `<html lang>`."""
    locale = get_locale()
    code = str(locale) if locale is not None else default_locale()
    return code if is_locale(code) else default_locale()


def group_thousands(value: int) -> str:
    """12345 → "12 345" in Norwegian (non-breaking space), "12,345" in English."""
    return format_decimal(int(value), format="#,##0")


def decimal(value: float) -> str:
    """1234.5 → "1 234,5" in Norwegian, "1,234.5" in English (at most two decimals)."""
    return format_decimal(value, format="#,##0.##")
