"""Helpers for the language tests: what a catalogue says for a message id."""
from __future__ import annotations

from functools import cache

from babel.messages.pofile import read_po

from tests.i18n.conftest import TRANSLATIONS


@cache
def catalogue(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def translated(locale: str, msgid: str, **values) -> str:
    """The catalogue's text for `msgid` in `locale` (the test fails if it has none)."""
    message = catalogue(locale).get(msgid)
    assert message is not None and message.string, f"{locale}: no translation of {msgid!r}"
    text = message.string if isinstance(message.string, str) else message.string[0]
    return text % values if values else text
