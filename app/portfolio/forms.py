"""Forms of the portfolio: saved views, the priority score, programmes, restricted."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.forms import EmptyForm
from app.models import Project
from app.models.portfolio import PRIORITY_CRITERIA, SCORE_MAX, SCORE_MIN, PriorityScore, Programme, SavedView
from app.people.fields import PersonField


class SavedViewForm(EmptyForm):
    fills = SavedView
    #: the query is normalised (and cut to its column) by services.normalised_query
    fills_columns = {"query": None}

    name = StringField(_l("Lagre utvalget som"), validators=[DataRequired(_l("Gi visningen et navn."))],
                       render_kw={"autocomplete": "off"})
    #: the current query string; normalised by the view before it is stored
    query = HiddenField()


class RestrictedForm(EmptyForm):
    fills = Project

    #: "1" to restrict the project, "0" to lift the restriction
    restricted = HiddenField(validators=[InputRequired()])


#: the answers on each criterion's scale, with what the ends mean
SCALE_CHOICES = [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]


class ScoreField(RadioField):
    """One criterion, 1–5, with the same Norwegian message for a missing or odd value."""

    MESSAGE = _l("Velg en verdi fra 1 til 5.")

    def __init__(self, label, validators=(), **kwargs):
        super().__init__(label, choices=SCALE_CHOICES, validators=[InputRequired(self.MESSAGE), *validators],
                         **kwargs)

    def pre_validate(self, form):
        if self.data not in {value for value, _label in SCALE_CHOICES}:
            raise ValidationError(self.MESSAGE)


class PriorityForm(EmptyForm):
    """Five radio groups, 1–5, and a comment. Field names are PRIORITY_CRITERIA codes."""

    fills = PriorityScore

    strategic_value = ScoreField(_l(PRIORITY_CRITERIA["strategic_value"][0]))
    quality_benefit = ScoreField(_l(PRIORITY_CRITERIA["quality_benefit"][0]))
    economic_benefit = ScoreField(_l(PRIORITY_CRITERIA["economic_benefit"][0]))
    operational_need = ScoreField(_l(PRIORITY_CRITERIA["operational_need"][0]))
    risk = ScoreField(_l(PRIORITY_CRITERIA["risk"][0]))
    comment = TextAreaField(_l("Begrunnelse"), validators=[Optional(), Length(
        max=2000, message=_l("Begrunnelsen kan ha høyst 2000 tegn."))])
    #: the score's version when the form was loaded ("" for a new score)
    version = HiddenField()

    def criterion_fields(self):
        return [getattr(self, code) for code in PRIORITY_CRITERIA]


class ProgrammeForm(EmptyForm):
    fills = Programme

    name = StringField(_l("Navn på programmet"), validators=[DataRequired(_l("Gi programmet et navn."))],
                       render_kw={"autocomplete": "off"})
    description = TextAreaField(_l("Beskrivelse"), validators=[Optional(), Length(
        max=5000, message=_l("Beskrivelsen kan ha høyst 5000 tegn."))])
    owner_username = PersonField(_l("Programeier"))  # the people picker (app/people)
    version = HiddenField()
