"""Forms on the project overview."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class WithdrawForm(FlaskForm):
    comment = TextAreaField(_l("Hvorfor trekkes prosjektet?"), validators=[Optional(), Length(max=2000)])


class TransferOwnerForm(FlaskForm):
    owner_username = StringField(_l("Ny prosjekteier (brukernavn)"),
                                 validators=[DataRequired(_l("Velg den nye prosjekteieren.")), Length(max=128)],
                                 render_kw={"autocomplete": "off", "spellcheck": "false"})
