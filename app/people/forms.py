"""Forms of the owner-role page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional

from app.forms import EmptyForm
from app.models import OwnerGrant
from app.people.fields import PersonField


class GrantOwnerForm(EmptyForm):
    """Give one person the owner role, with a note on why."""

    fills = OwnerGrant

    person = PersonField(_l("Person"))
    note = StringField(_l("Begrunnelse"), validators=[Optional()],
        description=_l("For eksempel «Fungerende enhetsleder til 1. juni». Vises i loggen."))


class RevokeOwnerForm(EmptyForm):
    """The revoke button: only the CSRF token."""
