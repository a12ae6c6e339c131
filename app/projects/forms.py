"""Forms on the project overview."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.people.fields import PersonField


class WithdrawForm(FlaskForm):
    comment = TextAreaField(_l("Hvorfor trekkes prosjektet?"), validators=[
        DataRequired(_l("Skriv hvorfor prosjektet trekkes.")),
        Length(max=2000, message=_l("Begrunnelsen kan være på høyst %(max)d tegn."))])


class TransferOwnerForm(FlaskForm):
    owner_username = PersonField(_l("Ny prosjekteier"), owners_only=True)
