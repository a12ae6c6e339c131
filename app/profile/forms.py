"""Forms of the profile page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class TokenForm(FlaskForm):
    """A new API token: only a name, so the person knows later what uses it."""

    name = StringField(
        _l("Navn på nøkkelen"),
        description=_l("Hva nøkkelen skal brukes til, for eksempel «Power BI – porteføljerapport»."),
        validators=[DataRequired(_l("Gi nøkkelen et navn.")),
                    Length(max=100, message=_l("Navnet kan være på høyst 100 tegn."))],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        render_kw={"autocomplete": "off", "maxlength": 100})


class RevokeForm(FlaskForm):
    """The button-only "Trekk tilbake": carries the CSRF token."""
