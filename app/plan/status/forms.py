"""The status report form: period, five traffic lights with comments, overall comment."""
from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.models.status_report import AREAS, RAG_CODES, StatusReport
from app.forms import EmptyForm, strip
from app.models import ProjectPlan
from app.plan.editing import NokField, NorwegianDateField
from app.plan.status.queries import RAG_LABELS, interval_of
from app.reminders.periods import REPORT_INTERVALS

RAG_CHOICES = [("green", _l("Grønn")), ("yellow", _l("Gul")), ("red", _l("Rød"))]
MAX_COMMENT = 4000
#: each area's comment has its own label, so a screen reader knows which one it is in
COMMENT_LABELS = {"progress": _l("Kommentar om fremdrift"), "cost": _l("Kommentar om økonomi"),
                  "quality": _l("Kommentar om kvalitet"), "risk": _l("Kommentar om risiko"),
                  "benefits": _l("Kommentar om gevinster")}


class StatusReportForm(EmptyForm):
    """A draft may be unfinished; publishing asks for more (services.publish_errors)."""

    fills = StatusReport

    period_label = StringField(
        _l("Periode"),
        description=_l("Slik dere omtaler perioden, for eksempel «Mars 2026» eller «Uke 10–13»."),
        validators=[DataRequired(_l("Skriv hvilken periode rapporten gjelder, for eksempel «Mars 2026»."))],
        filters=[strip])
    period_start = NorwegianDateField(_l("Fra og med"), validators=[Optional()])
    period_end = NorwegianDateField(_l("Til og med"), validators=[Optional()])
    overall_comment = TextAreaField(
        _l("Samlet vurdering"),
        description=_l("Det viktigste prosjekteier bør vite: hva som er gjort, hva som kommer, "
                       "og hva du trenger hjelp eller beslutning til."),
        validators=[Optional(), Length(max=8000, message=_l("Teksten kan være på høyst 8000 tegn."))])
    spent_to_date_nok = NokField(
        _l("Forbrukt hittil (kroner)"),
        description=_l("Alt prosjektet har brukt fram til periodens slutt, i hele kroner. "
                       "Vises mot budsjettet under Økonomi, i porteføljen og i sluttrapporten."))
    #: the report's version when the form was loaded ("" for a new report)
    version = HiddenField()

    def validate_period_end(self, field) -> None:
        start = self.period_start.data
        if field.data and start and field.data < start:
            raise ValidationError(_("Sluttdatoen kan ikke være før startdatoen."))


def _add_area_fields() -> None:
    for code, label in AREAS:
        status = RadioField(_l(label), choices=RAG_CHOICES, validate_choice=False,
                            validators=[Optional()])
        comment = TextAreaField(
            COMMENT_LABELS[code],
            validators=[Optional(), Length(max=MAX_COMMENT,
                                           message=_l("Kommentaren kan være på høyst 4000 tegn."))])
        setattr(StatusReportForm, f"{code}_status", status)
        setattr(StatusReportForm, f"{code}_comment", comment)


_add_area_fields()


def check_choices(form: StatusReportForm) -> bool:
    """A posted colour must be one of ours (a forged value gets a Norwegian message)."""
    ok = True
    for code, _label in AREAS:
        field = getattr(form, f"{code}_status")
        if field.data not in (None, "", *RAG_CODES):
            field.errors = [*field.errors, _("Velg grønn, gul eller rød.")]
            ok = False
    return ok


def area_fields(form: StatusReportForm) -> list[tuple[str, object, object]]:
    """(code, status field, comment field) for each area, for the template."""
    return [(code, getattr(form, f"{code}_status"), getattr(form, f"{code}_comment"))
            for code, _label in AREAS]


class VersionForm(EmptyForm):
    """Publish: a button, the CSRF token and the version the person looked at."""

    version = HiddenField()


def report_conflicts(form: StatusReportForm, report) -> list[tuple[str, str]]:
    """(label, value now) for each field where the stored report differs from what was typed."""
    rows = []
    names = ["period_label", "period_start", "period_end"]
    for code, _label in AREAS:
        names += [f"{code}_status", f"{code}_comment"]
    names.append("overall_comment")
    for name in names:
        typed, current = getattr(form, name).data, getattr(report, name)
        if isinstance(typed, str):
            typed = typed.strip()
        if (typed or None) == (current or None):
            continue
        if name.endswith("_status"):
            shown = str(RAG_LABELS[current]) if current in RAG_LABELS else _("ikke vurdert")
        elif isinstance(current, date):
            shown = format_date(current, "d. MMM yyyy")
        else:
            shown = current or _("(tomt)")
        rows.append((str(getattr(form, name).label.text), shown))
    return rows


class IntervalForm(EmptyForm):
    """How often the prosjektleder reports status."""

    fills_columns = {"interval": ProjectPlan.report_interval}

    interval = SelectField(_l("Statusrapport leveres"), choices=list(REPORT_INTERVALS.items()),
                           description=_l("Faseport minner prosjektleder på rapporten mot slutten av "
                                          "hver periode mens prosjektet gjennomføres."))


def interval_form(project, formdata=None) -> IntervalForm:
    """The interval form, bound to `formdata`, or showing the project's interval."""
    if formdata is not None:
        return IntervalForm(formdata=formdata)
    form = IntervalForm(formdata=None)
    form.interval.data = interval_of(project)
    return form
