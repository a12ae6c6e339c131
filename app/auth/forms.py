"""Sign-in form."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import EmptyForm


class LoginForm(EmptyForm):
    #: checked against the directory, never stored; `next` is where to go afterwards
    fills_columns = {"username": None, "password": None, "next": None}

    username = StringField(
        _l("Brukernavn"),
        validators=[DataRequired(_l("Skriv brukernavnet ditt.")), Length(max=128)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Passord"),
        validators=[DataRequired(_l("Skriv passordet ditt.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
