"""Forms of the tasks tab: a technical task, IKT's status and assignee, and the DPIA."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from app.models.task import PrivacyAssessment, TechnicalTask
from app.models.task import DPIA_CHOICES, TASK_KIND_CODES, TASK_KINDS, TASK_STATUS_CODES, TASK_STATUSES
from app.forms import EmptyForm, strip
from app.plan.editing import NorwegianDateField

KIND_CHOICES = [("", _l("Velg type"))] + [(code, _l(label)) for code, label in TASK_KINDS]
STATUS_CHOICES = [(code, _l(label)) for code, label in TASK_STATUSES]
DPIA_FORM_CHOICES = [(code, _l(label)) for code, label in DPIA_CHOICES]
DPIA_CODES = tuple(code for code, _label in DPIA_CHOICES)


def with_ids(form, prefix: str):
    """Give every field an id starting with `prefix` (names stay the same), so several
    task forms can share a page without duplicate ids."""
    for f in form:
        f.id = f"{prefix}{f.name}"
    return form


class TaskForm(EmptyForm):
    """What the project needs from IKT (the text part, edited by the project)."""

    fills = TechnicalTask

    title = StringField(
        _l("Oppgave"), description=_l("Kort og konkret, for eksempel «Testmiljø for fagsystemet»."),
        validators=[DataRequired(_l("Gi oppgaven en tittel."))], filters=[strip])
    kind = SelectField(_l("Type"), choices=KIND_CHOICES, validate_choice=False,
                       validators=[AnyOf(TASK_KIND_CODES, message=_l("Velg hva slags oppgave det er."))])
    description = TextAreaField(
        _l("Beskrivelse"), description=_l("Hva trengs, til hvem, og hva IKT må vite for å gjøre det."),
        validators=[Optional(), Length(max=10_000, message=_l("Teksten kan være på høyst 10 000 tegn."))])
    due_date = NorwegianDateField(_l("Frist"), validators=[Optional()])
    #: the task's version when the form was loaded ("" when new)
    version = HiddenField()


class TaskWorkForm(EmptyForm):
    """IKT's part: the status and who in IKT does it."""

    fills = TechnicalTask
    #: one of the IKT people the view offers (the operation looks the id up among them)
    fills_columns = {"assignee": None}

    status = SelectField(_l("Status"), choices=STATUS_CHOICES, validate_choice=False,
                         validators=[AnyOf(TASK_STATUS_CODES, message=_l("Velg åpen, pågår eller ferdig."))])
    #: a user id from the IKT role, or "" for nobody yet (choices are set by the view)
    assignee = SelectField(_l("Ansvarlig i IKT"), choices=[], validate_choice=False)
    version = HiddenField()


class PrivacyForm(EmptyForm):
    """The personvernombud's assessment."""

    fills = PrivacyAssessment

    dpia_status = RadioField(_l("Status for DPIA (personvernkonsekvensvurdering)"),
                             choices=DPIA_FORM_CHOICES, validate_choice=False,
                             validators=[AnyOf(DPIA_CODES, message=_l("Velg en status for DPIA."))])
    comment = TextAreaField(
        _l("Personvernombudets kommentar"),
        description=_l("Vurderingen og det prosjektet må gjøre, for eksempel hvilket behandlingsgrunnlag "
                       "som gjelder, eller at DPIA må være ferdig før BP3."),
        validators=[Optional(), Length(max=8000, message=_l("Kommentaren kan være på høyst 8000 tegn."))])
    #: the assessment's version when loaded ("" when the project has none yet)
    version = HiddenField()
