"""Plural texts written with ngettext in Python reach the catalogues with both forms, so a
reader of nynorsk or English gets the right one (babel.cfg must extract ngettext:1,2)."""
from __future__ import annotations

from flask_babel import force_locale, ngettext


def test_the_digest_subject_has_its_plural_in_each_language(app):
    def subject(locale, n):
        with app.test_request_context(), force_locale(locale):
            return ngettext("Faseport: %(num)d nytt varsel", "Faseport: %(num)d nye varsler", n)

    assert subject("en", 1) == "Faseport: 1 new notification"
    assert subject("en", 3) == "Faseport: 3 new notifications"
    assert subject("nn", 3) == "Faseport: 3 nye varsel"
    assert subject("nb", 3) == "Faseport: 3 nye varsler"
