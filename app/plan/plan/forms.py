"""Forms of the plan tab: one per section, a goal, a link to a related project."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.forms import EmptyForm
from app.plan.editing import MAX_TEXT, NorwegianDateField

#: a case number: year (2 or 4 digits) / serial, optionally -document number (2016/2821-3)
ARCHIVE_REF = re.compile(r"^(\d{2}|\d{4})/\d{1,7}(-\d{1,4})?$")
#: longest goal text
MAX_GOAL = 1000


def _text(label, description):
    return TextAreaField(label, description=description, filters=[lambda v: (v or "").strip()],
                         validators=[Length(max=MAX_TEXT, message=_l(
                             "Teksten kan være på høyst %(max)d tegn.", max=MAX_TEXT))])


class SectionForm(EmptyForm):
    #: the plan's version when the form was loaded (optimistic locking)
    version = HiddenField()


class BackgroundForm(SectionForm):
    background = _text(_l("Bakgrunn"), _l(
        "Hvorfor prosjektet kommer nå. Vis gjerne til vedtak, planer og nasjonale føringer, "
        "for eksempel kommuneplanens samfunnsdel."))
    current_situation = _text(_l("Dagens situasjon og utfordringer"), _l(
        "Hvordan arbeidet gjøres i dag, og hvilke problemer det gir for brukere og ansatte."))
    zero_alternative = _text(_l("Nullalternativet"), _l(
        "Hva skjer hvis prosjektet ikke gjennomføres og dagens situasjon fortsetter? "
        "Må være beskrevet før BP2."))


class PurposeForm(SectionForm):
    purpose = _text(_l("Formål"), _l("Hensikten med prosjektet, i én eller to setninger."))


class ScopeForm(SectionForm):
    scope_limits = _text(_l("Avgrensninger"), _l("Hva prosjektet ikke skal gjøre eller omfatte."))
    interfaces = _text(_l("Grensesnitt mot annet arbeid"), _l(
        "Andre prosjekter, programmer eller tiltak som må koordineres med dette. Prosjekter "
        "som finnes i Faseport, kan du lenke til i boksen «Relaterte prosjekter»."))


class InvolvementForm(SectionForm):
    user_involvement = _text(_l("Brukermedvirkning og referansegruppe"), _l(
        "Hvordan brukere, pårørende, tillitsvalgte og verneombud får medvirke, og hvem som "
        "sitter i en eventuell referansegruppe."))


class AlternativesForm(SectionForm):
    alternatives = _text(_l("Alternativer som er vurdert"), _l(
        "De konseptene som er sammenlignet med nullalternativet: hva hvert av dem gir av "
        "gevinst, hva det koster, og hvorfor det anbefalte er valgt."))


class ReportingForm(SectionForm):
    reporting = _text(_l("Oppfølging og rapportering"), _l(
        "Hvem som rapporterer hva til hvem, og hvor ofte: statusrapporter til prosjekteier, "
        "møter i styringsgruppen, rapportering til politisk utvalg."))


class ChangeControlForm(SectionForm):
    change_control = _text(_l("Endringsstyring"), _l(
        "Hvordan endringer i planen foreslås, vurderes og besluttes: prosjektleder foreslår, "
        "prosjekteier beslutter, og alle endringer dokumenteres."))


class ClosingForm(SectionForm):
    goals_reached = _text(_l("Måloppnåelse"), _l(
        "Hvor langt effektmålene og resultatmålene er nådd, og hva som gjenstår."))
    lessons_learned = _text(_l("Erfaringer"), _l(
        "Hva gikk bra, hva gikk galt, og hva bør neste prosjekt gjøre annerledes?"))
    handover = _text(_l("Overlevering til linjen"), _l(
        "Hva linjen overtar (løsning, rutiner, opplæring, gevinstplan), hvem som har ansvaret, "
        "og hvordan gevinstene følges opp etter prosjektet."))


class FrameForm(SectionForm):
    start_date = NorwegianDateField(_l("Startdato"), validators=[Optional()])
    end_date = NorwegianDateField(_l("Sluttdato"), validators=[Optional()])
    financing = _text(_l("Merknad om finansiering"), _l(
        "Det som ikke står i tabellen under Økonomi: forutsetninger, frister for søknader "
        "om tilskudd, politiske vedtak."))
    archive_ref = StringField(
        _l("Arkivreferanse (saksnummer)"), filters=[lambda v: (v or "").strip()],
        description=_l("Saksnummeret i arkivsystemet, for eksempel 2016/2821."),
        validators=[Length(max=20, message=_l("Saksnummeret er for langt."))],
        render_kw={"autocomplete": "off", "spellcheck": "false"})

    def validate_archive_ref(self, field):
        if field.data and not ARCHIVE_REF.match(field.data):
            raise ValidationError(_l("Skriv saksnummeret som år/løpenummer, for eksempel 2016/2821."))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("Sluttdatoen kan ikke være før startdatoen."))


#: the form of each section
SECTION_FORMS = {"background": BackgroundForm, "purpose": PurposeForm, "scope": ScopeForm,
                 "alternatives": AlternativesForm, "involvement": InvolvementForm,
                 "reporting": ReportingForm, "change_control": ChangeControlForm,
                 "frame": FrameForm, "closing": ClosingForm}


class GoalForm(EmptyForm):
    text = TextAreaField(
        _l("Mål"), filters=[lambda v: (v or "").strip()],
        validators=[DataRequired(_l("Skriv målet.")),
                    Length(max=MAX_GOAL, message=_l("Målet kan være på høyst %(max)d tegn.", max=MAX_GOAL))])
    version = HiddenField()


class LinkForm(EmptyForm):
    related = SelectField(_l("Prosjekt"), coerce=int, validate_choice=False)
    note = StringField(_l("Hva har prosjektene felles? (valgfritt)"), filters=[lambda v: (v or "").strip()],
                       validators=[Length(max=300, message=_l("Skriv høyst 300 tegn."))])
