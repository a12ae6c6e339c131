"""Forms of the profile page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired

from app.forms import EmptyForm, strip
from app.models import ApiToken


class TokenForm(EmptyForm):
    """A new API token: only a name, so the person knows later what uses it."""

    fills = ApiToken

    name = StringField(
        _l("Navn på nøkkelen"),
        description=_l("Hva nøkkelen skal brukes til, for eksempel «Power BI – porteføljerapport»."),
        validators=[DataRequired(_l("Gi nøkkelen et navn."))], filters=[strip],
        render_kw={"autocomplete": "off"})


class RevokeForm(EmptyForm):
    """The button-only "Trekk tilbake": carries the CSRF token."""
