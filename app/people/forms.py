"""Forms of the owner-role page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from app.people.fields import PersonField
from app.people.owners import MAX_NOTE


class GrantOwnerForm(FlaskForm):
    """Give one person the owner role, with a note on why."""

    person = PersonField(_l("Person"))
    note = StringField(_l("Begrunnelse"), validators=[Optional(), Length(
        max=MAX_NOTE, message=_l("Skriv høyst %(max)d tegn."))],
        description=_l("For eksempel «Fungerende enhetsleder til 1. juni». Vises i loggen."))


class RevokeOwnerForm(FlaskForm):
    """The revoke button: only the CSRF token."""
