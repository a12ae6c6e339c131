"""The status report form: period, five traffic lights with comments, overall comment."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.models.status_report import AREAS, RAG_CODES
from app.plan.editing import EmptyForm, NokField, NorwegianDateField

RAG_CHOICES = [("green", _l("Grønn")), ("yellow", _l("Gul")), ("red", _l("Rød"))]
MAX_COMMENT = 4000
#: each area's comment has its own label, so a screen reader knows which one it is in
COMMENT_LABELS = {"progress": _l("Kommentar om fremdrift"), "cost": _l("Kommentar om økonomi"),
                  "quality": _l("Kommentar om kvalitet"), "risk": _l("Kommentar om risiko"),
                  "benefits": _l("Kommentar om gevinster")}


class StatusReportForm(EmptyForm):
    """A draft may be unfinished; publishing asks for more (services.publish_errors)."""

    period_label = StringField(
        _l("Periode"),
        description=_l("Slik dere omtaler perioden, for eksempel «Mars 2026» eller «Uke 10–13»."),
        validators=[DataRequired(_l("Skriv hvilken periode rapporten gjelder, for eksempel «Mars 2026».")),
                    Length(max=100, message=_l("Perioden kan være på høyst 100 tegn."))],
        filters=[lambda v: v.strip() if isinstance(v, str) else v])
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
