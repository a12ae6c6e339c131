"""Forms of the stakeholders tab: a stakeholder, and an activity of the communication plan."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional

from app.models.plan_permissions import STAKEHOLDERS_EDITOR_ROLE
from app.forms import Filled
from app.models.stakeholder import ACTIVITY_STATUSES, CHANNELS, LEVELS, CommunicationActivity, Stakeholder
from app.plan.editing import CleanForm
from app.plan.editing import MAX_TEXT, NorwegianDateField, person_field

LEVEL_CHOICES = [SelectChoice(str(v), _l(label)) for v, label in LEVELS.items()]
#: the levels as posted ("1" … "3")
LEVEL_CODES = tuple(str(v) for v in LEVELS)


class StakeholderForm(CleanForm):
    """A stakeholder with interest in and influence on the project."""

    fills = Stakeholder

    name = StringField(_l("Interessent"), description=_l("En person, gruppe eller organisasjon, for eksempel "
                                                         "«Ansatte i hjemmetjenesten» eller «Fagforbundet»."),
                       validators=[Filled(_l("Skriv hvem interessenten er."))])
    interest = RadioField(_l("Interesse for prosjektet"), choices=LEVEL_CHOICES, validate_choice=False,
                          validators=[AnyOf(LEVEL_CODES, message=_l("Velg høy, middels eller lav interesse."))])
    influence = RadioField(_l("Påvirkning på prosjektet"), choices=LEVEL_CHOICES, validate_choice=False,
                           validators=[AnyOf(LEVEL_CODES, message=_l("Velg høy, middels eller lav påvirkning."))])
    notes = TextAreaField(_l("Forventninger og merknader"),
                          description=_l("Hva forventer de, hva er de bekymret for, og hvordan involveres de?"),
                          validators=[Optional(), Length(max=MAX_TEXT, message=_l("Teksten er for lang."))])
    #: the stakeholder's version when the form was loaded
    version = HiddenField()

    @staticmethod
    def level(f) -> int | None:
        return int(f.data) if f.data in LEVEL_CODES else None


class ActivityForm(CleanForm):
    """One activity of the communication plan."""

    fills = CommunicationActivity

    what = StringField(_l("Hva"),
                       description=_l("For eksempel «Informasjonsmøte om nettbrett i hjemmetjenesten»."),
                       validators=[Filled(_l("Skriv hva som skal kommuniseres."))])
    audience = StringField(_l("Til hvem"),
                           description=_l("Velg en interessent fra listen eller skriv en målgruppe."),
                           validators=[Filled(_l("Skriv hvem det er til."))])
    channel = SelectField(_l("Kanal"),
                          choices=[SelectChoice("", _l("Velg …")),
                                   *(SelectChoice(k, _l(v)) for k, v in CHANNELS.items())],
                          validate_choice=False, validators=[AnyOf(CHANNELS, message=_l("Velg en kanal."))])
    planned_on = NorwegianDateField(_l("Når"), validators=[Optional()])
    responsible_username = person_field(_l("Ansvarlig"))
    status = RadioField(_l("Status"), choices=[SelectChoice(k, _l(v)) for k, v in ACTIVITY_STATUSES.items()],
                        default="planned", validate_choice=False,
                        validators=[AnyOf(ACTIVITY_STATUSES, message=_l("Velg planlagt, gjennomført eller avlyst."))])
    #: the activity's version when the form was loaded
    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.planned_on.data is None and not self.planned_on.errors:  # not when it could not be read
            self.planned_on.errors.append(_("Skriv når det skal skje."))
        return ok and not self.errors


def stakeholder_form(prefix: str, bound: bool = False) -> StakeholderForm:
    return StakeholderForm(prefix=prefix) if bound else StakeholderForm(prefix=prefix, formdata=None)


def activity_form(prefix: str, bound: bool = False) -> ActivityForm:
    return ActivityForm(prefix=prefix) if bound else ActivityForm(prefix=prefix, formdata=None)


def new_activity_form(project) -> ActivityForm:
    """The empty activity form; the kommunikasjonsansvarlig is the suggested responsible."""
    form = activity_form("newa_")
    comms = project.members_with(STAKEHOLDERS_EDITOR_ROLE)
    form.responsible_username.data = comms[0].username if comms else ""
    return form


def edit_stakeholder_form(s, bound: bool = False) -> StakeholderForm:
    """The form in place of a stakeholder's row: the posted one, or filled from `s`."""
    form = stakeholder_form(f"s{s.id}_", bound=bound)
    if not bound:
        form.name.data, form.notes.data = s.name, s.notes
        form.interest.data, form.influence.data = str(s.interest), str(s.influence)
        form.version.data = s.version
    return form


def edit_activity_form(a, bound: bool = False) -> ActivityForm:
    """The form in place of an activity's row: the posted one, or filled from `a`."""
    form = activity_form(f"a{a.id}_", bound=bound)
    if not bound:
        form.what.data, form.audience.data = a.what, a.audience_label
        form.channel.data, form.planned_on.data, form.status.data = a.channel, a.planned_on, a.status
        form.responsible_username.data = a.responsible.username if a.responsible else ""
        form.version.data = a.version
    return form


def stakeholder_conflicts(form: StakeholderForm, s) -> list[tuple[str, str]]:
    """For a refused (stale) save: (label, what is stored now) where it differs from what was typed."""
    out = []
    stored = {"name": (s.name, s.name), "interest": (str(s.interest), _(LEVELS.get(s.interest, ""))),
              "influence": (str(s.influence), _(LEVELS.get(s.influence, ""))), "notes": (s.notes, s.notes)}
    for name, (value, shown) in stored.items():
        if (getattr(form, name).data or "").strip() != (value or "").strip():
            out.append((str(getattr(form, name).label.text), shown or _("(tomt)")))
    return out


def activity_conflicts(form: ActivityForm, a) -> list[tuple[str, str]]:
    """For a refused (stale) save: (label, what is stored now) where it differs from what was typed."""
    out = []
    stored = {
        "what": (a.what, a.what), "audience": (a.audience_label, a.audience_label),
        "channel": (a.channel, _(CHANNELS.get(a.channel, a.channel))),
        "planned_on": (a.planned_on, a.planned_on.strftime("%d.%m.%Y") if a.planned_on else ""),
        "responsible_username": (a.responsible.username if a.responsible else "",
                                 a.responsible.display_name if a.responsible else ""),
        "status": (a.status, _(ACTIVITY_STATUSES.get(a.status, a.status))),
    }
    for name, (value, shown) in stored.items():
        typed = getattr(form, name).data
        typed = typed.strip() if isinstance(typed, str) else typed
        value = value.strip() if isinstance(value, str) else value
        if (typed or None) != (value or None):
            out.append((str(getattr(form, name).label.text), shown or _("(tomt)")))
    return out
