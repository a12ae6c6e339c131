"""The milestones tab's forms."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from app.forms import EmptyForm, strip
from app.models import Milestone
from app.plan.editing import NorwegianDateField, person_field, today

#: the gates a milestone may plan ("" = an ordinary milestone)
GATE_CHOICES = [("", _l("Ingen")), *((f"BP{n}", f"BP{n}") for n in range(1, 7))]


class MilestoneForm(EmptyForm):
    """A milestone: number, description, responsible, due date, done date, planned gate."""

    fills = Milestone

    number = StringField(_l("Nr."), filters=[strip],
                         validators=[InputRequired(_l("Skriv et nummer, for eksempel M3."))],
                         render_kw={"autocomplete": "off"})
    description = TextAreaField(
        _l("Milepæl"), filters=[strip],
        description=_l("Skriv den som en tilstand: «Når … er …», for eksempel «Når dagens "
                       "arbeidsprosesser er kartlagt»."),
        validators=[InputRequired(_l("Beskriv milepælen."))])
    responsible_username = person_field(_l("Ansvarlig"))
    due_date = NorwegianDateField(_l("Frist"), validators=[InputRequired(_l("Fyll inn fristen."))])
    done_date = NorwegianDateField(_l("Nådd dato"), validators=[Optional()],
                                   description=_l("Fylles ut når milepælen er nådd."))
    gate = SelectField(_l("Planlagt beslutningspunkt"), choices=GATE_CHOICES, validate_choice=True, default="",
                       coerce=lambda v: v or "",
                       description=_l("Velg et beslutningspunkt hvis milepælen er datoen dere planlegger "
                                      "å be om det. Da kommer den i kalenderen til prosjekteier, og "
                                      "personvernombudet får påminnelse om DPIA før BP3."))
    version = HiddenField()

    def validate_done_date(self, field):
        if field.data and field.data > today():
            raise ValidationError(_l("Datoen milepælen ble nådd, kan ikke være fram i tid."))


def new_form(milestones) -> MilestoneForm:
    """An empty form for a new milestone, with the next number filled in."""
    form = MilestoneForm(prefix="new_", formdata=None)
    form.number.data = next_number(milestones)
    return form


class DoneForm(EmptyForm):
    """"Marker som nådd" carries the version the person saw."""

    version = HiddenField()


def edit_form(m: Milestone | None = None, posted: bool = False) -> MilestoneForm:
    """The form in a milestone's row: the posted one, or filled from `m`."""
    if posted:
        return MilestoneForm(prefix="edit_")
    form = MilestoneForm(prefix="edit_", formdata=None, obj=m)
    form.responsible_username.data = m.responsible.username if m.responsible else ""
    form.gate.data = m.gate or ""
    form.version.data = m.version
    return form


def next_number(milestones) -> str:
    """The next free "M<n>" after the highest one in use."""
    numbers = [int(x.group(1)) for m in milestones if (x := re.fullmatch(r"[Mm](\d+)", m.number))]
    taken = {m.number.lower() for m in milestones}
    n = max(numbers, default=len(milestones)) + 1
    while f"m{n}" in taken:
        n += 1
    return f"M{n}"
