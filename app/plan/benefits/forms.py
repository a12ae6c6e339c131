"""Forms of the benefits tab. Every form on the page gets its own prefix, so that ids stay
unique when several are open at once (the new benefit, edits, a measurement per benefit)."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from app.models.benefit import BENEFIT_KINDS, Benefit, BenefitMeasurement
from app.plan.benefits.display import kind_label, number
from app.reminders.periods import MEASURE_EVERY
from app.plan.editing import MAX_TEXT, CleanForm, NorwegianDateField, person_field, today

#: the largest value accepted for a baseline, target or measurement
MAX_VALUE = 1e12


def parse_number(text: str) -> float:
    """A number as Norwegians write it: "1 234,5", "1234.5", "1.234.567", "-3", "45 %".

    Raises ValueError with a Norwegian message.
    """
    raw = re.sub(r"[\s\u00a0\u202f]", "", text or "").rstrip("%")
    raw = re.sub(r"^(kr\.?|nok)|(,-|kr\.?|nok)$", "", raw, flags=re.IGNORECASE)
    if "," in raw and "." in raw:
        raw = raw.replace(".", "").replace(",", ".")  # 1.234,5
    elif "," in raw:
        raw = raw.replace(",", ".")  # 3,5
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}", raw):
        raw = raw.replace(".", "")  # 1.234.567
    if not re.fullmatch(r"-?\d+(\.\d+)?", raw):
        raise ValueError(_("Skriv et tall, for eksempel 120 eller 3,5."))
    value = float(raw)
    if abs(value) >= MAX_VALUE:
        raise ValueError(_("Tallet er for stort."))
    return value


class NumberField(StringField):
    """A decimal number typed the Norwegian way (comma as decimal sign, spaces between
    thousands). Empty gives None; what was typed is shown again on errors."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and (valuelist[0] or "").strip():
            self.data = parse_number(valuelist[0])

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return number(self.data).replace("\u00a0", " ") if self.data is not None else ""


KIND_CHOICES = [SelectChoice(code, _l(label)) for code, label in BENEFIT_KINDS.items()]


class BenefitForm(CleanForm):
    """A benefit in the benefits realisation plan."""

    fills = Benefit

    description = TextAreaField(
        _l("Gevinst"), description=_l("Hva blir bedre, og for hvem? For eksempel «Mindre tid brukt på "
                                      "manuell registrering i hjemmetjenesten»."),
        validators=[Length(max=MAX_TEXT, message=_l("Teksten er for lang."))])
    kind = RadioField(_l("Type gevinst"), choices=KIND_CHOICES, validate_choice=False)
    indicator = StringField(
        _l("Måleindikator"), description=_l("Hva måles? For eksempel «timer brukt på vedtak per måned»."),
        validators=[Optional()])
    unit = StringField(
        _l("Måleenhet"), description=_l("For eksempel timer, antall eller prosent. Økonomiske gevinster "
                                        "måles i kroner (kr)."),
        validators=[Optional()])
    baseline = NumberField(_l("Nullpunkt"), description=_l("Verdien målt før endringen tar effekt."))
    baseline_measured_on = NorwegianDateField(_l("Nullpunktet ble målt"), validators=[Optional()])
    target = NumberField(_l("Målverdi"))
    due_on = NorwegianDateField(_l("Målet skal nås innen"), validators=[Optional()])
    owner_username = person_field(_l("Gevinstansvarlig"))
    measures = TextAreaField(
        _l("Tiltak i linjen"), description=_l("Hva må linjen gjøre for at gevinsten skal tas ut? "
                                              "For eksempel nye rutiner eller opplæring."),
        validators=[Optional(), Length(max=MAX_TEXT, message=_l("Teksten er for lang."))])
    measure_every_months = SelectField(
        _l("Måles etter overleveringen"),
        choices=[("", _l("Ingen fast måleplan")), *((str(k), v) for k, v in MEASURE_EVERY.items())],
        coerce=lambda v: int(v) if v not in (None, "", "None") else None, validate_choice=False,
        description=_l("Hvor ofte gevinstansvarlig skal måle etter at prosjektet er overlevert til linjen. "
                       "Faseport minner om hver måling."))
    measure_for_years = IntegerField(
        _l("I antall år etter overleveringen"),
        description=_l("For eksempel 3. Står feltet tomt, måles det til gevinstarbeidet er avsluttet (BP6)."),
        validators=[Optional(), NumberRange(min=1, max=20, message=_l("Skriv et helt tall fra 1 til 20."))],
        render_kw={"inputmode": "numeric"})
    #: the benefit's version when the form was loaded
    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.measure_every_months.data not in (None, *MEASURE_EVERY):
            self.measure_every_months.errors.append(_("Velg hvor ofte gevinsten skal måles."))
        if self.measure_for_years.data and not self.measure_every_months.data \
                and not self.measure_for_years.errors:
            self.measure_every_months.errors.append(_("Velg hvor ofte gevinsten skal måles i disse årene."))
        if not (self.description.data or "").strip():
            self.description.errors.append(_("Beskriv gevinsten."))
        if self.kind.data not in BENEFIT_KINDS:
            self.kind.errors.append(_("Velg hvilken type gevinst det er."))
        if self.baseline.data is not None and self.baseline_measured_on.data is None \
                and not self.baseline_measured_on.errors:
            self.baseline_measured_on.errors.append(_("Skriv når nullpunktet ble målt."))
        if (self.baseline.data is not None and self.target.data is not None
                and self.baseline.data == self.target.data and not self.target.errors):
            self.target.errors.append(_("Målverdien må være forskjellig fra nullpunktet."))
        start, end = self.baseline_measured_on.data, self.due_on.data
        if start and end and end <= start:
            self.due_on.errors.append(_("Datoen for målet må komme etter nullpunktsmålingen."))
        if self.kind.data == "economic":
            for f in (self.baseline, self.target):
                if f.data is not None and f.data != int(f.data):
                    f.errors.append(_("Økonomiske gevinster oppgis i hele kroner."))
        return ok and not self.errors


class MeasurementForm(CleanForm):
    """One measured value of a benefit."""

    fills = BenefitMeasurement

    measured_on = NorwegianDateField(_l("Dato for målingen"), validators=[Optional()])
    value = NumberField(_l("Målt verdi"))
    comment = TextAreaField(
        _l("Kommentar"), description=_l("Forklar særlig hvis målingen ligger langt unna det som var ventet."),
        validators=[Optional(), Length(max=5000, message=_l("Skriv høyst 5000 tegn."))])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.measured_on.data is None and not self.measured_on.errors:
            self.measured_on.errors.append(_("Skriv når det ble målt."))
        elif self.measured_on.data is not None and self.measured_on.data > today():
            self.measured_on.errors.append(_("Datoen kan ikke være fram i tid."))
        if self.value.data is None and not self.value.errors:
            self.value.errors.append(_("Skriv den målte verdien."))
        return ok and not self.errors


def benefit_form(prefix: str, formdata=None, **kwargs) -> BenefitForm:
    """A BenefitForm with its prefix; `formdata=None` gives an unbound form."""
    if formdata is None:
        return BenefitForm(prefix=prefix, formdata=None, **kwargs)
    return BenefitForm(prefix=prefix, **kwargs)


def measurement_form(benefit_id: int, bound: bool = False) -> MeasurementForm:
    prefix = f"m{benefit_id}_"
    return MeasurementForm(prefix=prefix) if bound else MeasurementForm(prefix=prefix, formdata=None)


def new_benefit_form(default_owner) -> BenefitForm:
    """The empty form under the plan: a quality benefit, owned by `default_owner`."""
    form = benefit_form("new_")
    form.owner_username.data = default_owner.username if default_owner else ""
    form.kind.data = "quality"
    return form


def edit_benefit_form(benefit, formdata=None) -> BenefitForm:
    """The form in place of a benefit's card: the posted `formdata`, or filled from it."""
    form = benefit_form(f"b{benefit.id}_", formdata=formdata, obj=None if formdata else benefit)
    if not formdata:
        form.owner_username.data = benefit.owner.username if benefit.owner else ""
        form.version.data = benefit.version
    return form


def _dmy(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def benefit_conflicts(form: BenefitForm, benefit) -> list[tuple[str, str]]:
    """(label, what is stored now) for each field where the stored value differs from
    what the person typed: the "what changed" of a refused save."""
    stored = {
        "description": benefit.description, "kind": _(kind_label(benefit.kind)),
        "indicator": benefit.indicator, "unit": benefit.unit, "baseline": number(benefit.baseline),
        "baseline_measured_on": _dmy(benefit.baseline_measured_on),
        "target": number(benefit.target),
        "due_on": _dmy(benefit.due_on),
        "owner_username": benefit.owner.display_name if benefit.owner else "", "measures": benefit.measures,
    }
    current = {
        "description": benefit.description, "kind": benefit.kind, "indicator": benefit.indicator,
        "unit": benefit.unit, "baseline": benefit.baseline, "baseline_measured_on": benefit.baseline_measured_on,
        "target": benefit.target, "due_on": benefit.due_on,
        "owner_username": benefit.owner.username if benefit.owner else "", "measures": benefit.measures,
    }
    out = []
    for name, now in current.items():
        typed = getattr(form, name).data
        if isinstance(typed, str):
            typed, now = typed.strip(), (now or "").strip() if isinstance(now, str) else now
        if (typed or None) != (now or None):
            out.append((str(getattr(form, name).label.text), stored[name] or _("(tomt)")))
    return out
