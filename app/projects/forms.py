"""Forms on the project overview."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import EmptyForm
from app.models import GateDecision
from app.people.fields import PersonField


class WithdrawForm(EmptyForm):
    #: the reason is the withdrawal's decision comment
    fills_columns = {"comment": GateDecision.comment}

    comment = TextAreaField(_l("Hvorfor trekkes prosjektet?"), validators=[
        DataRequired(_l("Skriv hvorfor prosjektet trekkes.")),
        Length(max=2000, message=_l("Begrunnelsen kan være på høyst %(max)d tegn."))])


class TransferOwnerForm(EmptyForm):
    owner_username = PersonField(_l("Ny prosjekteier"), owners_only=True)
