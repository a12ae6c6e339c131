"""Forms of the plan tab: one per section, a goal, a link to a related project."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.forms import EmptyForm, strip
from app.models import PlanGoal, PlanLink, ProjectPlan
from app.plan.editing import MAX_TEXT, NorwegianDateField

#: a case number: year (2 or 4 digits) / serial, optionally -document number (2016/2821-3)
ARCHIVE_REF = re.compile(r"^(\d{2}|\d{4})/\d{1,7}(-\d{1,4})?$")
#: longest goal text
MAX_GOAL = 1000


def _text(label, description):
    return TextAreaField(label, description=description, filters=[strip],
                         validators=[Length(max=MAX_TEXT, message=_l(
                             "Teksten kan være på høyst %(max)d tegn.", max=MAX_TEXT))])


class SectionForm(EmptyForm):
    fills = ProjectPlan
    #: the plan's version when the form was loaded (optimistic locking)
    version = HiddenField()


#: the free-text sections of the plan: section → (column, label, help text) for each field
TEXT_SECTIONS = {
    "background": [
        ("background", _l("Bakgrunn"), _l(
            "Hvorfor prosjektet kommer nå. Vis gjerne til vedtak, planer og nasjonale føringer, "
            "for eksempel kommuneplanens samfunnsdel.")),
        ("current_situation", _l("Dagens situasjon og utfordringer"), _l(
            "Hvordan arbeidet gjøres i dag, og hvilke problemer det gir for brukere og ansatte.")),
        ("zero_alternative", _l("Nullalternativet"), _l(
            "Hva skjer hvis prosjektet ikke gjennomføres og dagens situasjon fortsetter? "
            "Må være beskrevet før BP2."))],
    "purpose": [("purpose", _l("Formål"), _l("Hensikten med prosjektet, i én eller to setninger."))],
    "scope": [
        ("scope_limits", _l("Avgrensninger"), _l("Hva prosjektet ikke skal gjøre eller omfatte.")),
        ("interfaces", _l("Grensesnitt mot annet arbeid"), _l(
            "Andre prosjekter, programmer eller tiltak som må koordineres med dette. Prosjekter "
            "som finnes i Faseport, kan du lenke til i boksen «Relaterte prosjekter»."))],
    "alternatives": [("alternatives", _l("Alternativer som er vurdert"), _l(
        "De konseptene som er sammenlignet med nullalternativet: hva hvert av dem gir av "
        "gevinst, hva det koster, og hvorfor det anbefalte er valgt."))],
    "involvement": [("user_involvement", _l("Brukermedvirkning og referansegruppe"), _l(
        "Hvordan brukere, pårørende, tillitsvalgte og verneombud får medvirke, og hvem som "
        "sitter i en eventuell referansegruppe."))],
    "reporting": [("reporting", _l("Oppfølging og rapportering"), _l(
        "Hvem som rapporterer hva til hvem, og hvor ofte: statusrapporter til prosjekteier, "
        "møter i styringsgruppen, rapportering til politisk utvalg."))],
    "change_control": [("change_control", _l("Endringsstyring"), _l(
        "Hvordan endringer i planen foreslås, vurderes og besluttes: prosjektleder foreslår, "
        "prosjekteier beslutter, og alle endringer dokumenteres."))],
    "closing": [
        ("goals_reached", _l("Måloppnåelse"), _l(
            "Hvor langt effektmålene og resultatmålene er nådd, og hva som gjenstår.")),
        ("lessons_learned", _l("Erfaringer"), _l(
            "Hva gikk bra, hva gikk galt, og hva bør neste prosjekt gjøre annerledes?")),
        ("handover", _l("Overlevering til linjen"), _l(
            "Hva linjen overtar (løsning, rutiner, opplæring, gevinstplan), hvem som har ansvaret, "
            "og hvordan gevinstene følges opp etter prosjektet."))],
}


def _section_form(section: str, fields) -> type[SectionForm]:
    """The form of one free-text section: a text field per (column, label, help text)."""
    name = "".join(part.title() for part in section.split("_")) + "Form"
    return type(name, (SectionForm,), {"__module__": __name__,
                                       **{column: _text(label, help_text) for column, label, help_text in fields}})


class FrameForm(SectionForm):
    start_date = NorwegianDateField(_l("Startdato"), validators=[Optional()])
    end_date = NorwegianDateField(_l("Sluttdato"), validators=[Optional()])
    financing = _text(_l("Merknad om finansiering"), _l(
        "Det som ikke står i tabellen under Økonomi: forutsetninger, frister for søknader "
        "om tilskudd, politiske vedtak."))
    archive_ref = StringField(
        _l("Arkivreferanse (saksnummer)"), filters=[strip],
        description=_l("Saksnummeret i arkivsystemet, for eksempel 2016/2821."),
        render_kw={"autocomplete": "off", "spellcheck": "false"})

    def validate_archive_ref(self, field):
        if field.data and not ARCHIVE_REF.match(field.data):
            raise ValidationError(_l("Skriv saksnummeret som år/løpenummer, for eksempel 2016/2821."))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("Sluttdatoen kan ikke være før startdatoen."))


#: the form of each section
SECTION_FORMS = {section: _section_form(section, fields) for section, fields in TEXT_SECTIONS.items()}
SECTION_FORMS["frame"] = FrameForm


class GoalForm(EmptyForm):
    fills = PlanGoal

    text = TextAreaField(
        _l("Mål"), filters=[strip],
        validators=[DataRequired(_l("Skriv målet.")),
                    Length(max=MAX_GOAL, message=_l("Målet kan være på høyst %(max)d tegn.", max=MAX_GOAL))])
    version = HiddenField()


class LinkForm(EmptyForm):
    fills = PlanLink
    fills_columns = {"related": PlanLink.related_project_id}

    related = SelectField(_l("Prosjekt"), coerce=int, validate_choice=False)
    note = StringField(_l("Hva har prosjektene felles? (valgfritt)"), filters=[strip])
