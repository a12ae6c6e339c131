"""Forms of the economy tab: one budget year, one source of financing."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, ValidationError

from app.models.economy import FUNDING_KINDS, FUNDING_STATUSES, BudgetLine, FundingSource
from app.plan.economy.summary import MAX_YEAR, MIN_YEAR
from app.forms import EmptyForm, strip
from app.plan.editing import NokField


class YearField(IntegerField):
    """A year typed with digits; anything else gets a Norwegian message."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            return
        if not raw.isdigit() or len(raw) > 6:
            raise ValueError(_l("Skriv året med fire sifre, for eksempel 2026."))
        self.data = int(raw)


class BudgetLineForm(EmptyForm):
    fills = BudgetLine

    year = YearField(_l("År"), validators=[InputRequired(_l("Skriv budsjettåret, for eksempel 2026."))],
                     render_kw={"inputmode": "numeric", "autocomplete": "off", "min": MIN_YEAR, "max": MAX_YEAR})
    investment_nok = NokField(_l("Investering (kroner)"), description=_l(
        "Engangskostnader: anskaffelse, innføring, prosjektressurser."))
    operating_nok = NokField(_l("Drift (kroner)"), description=_l(
        "Løpende kostnader: lisenser, support, drift."))
    note = StringField(_l("Merknad (valgfritt)"), filters=[strip])
    version = HiddenField()

    def validate_year(self, field):
        if field.data is not None and not MIN_YEAR <= field.data <= MAX_YEAR:
            raise ValidationError(_l("Skriv et år mellom %(min)s og %(max)s.", min=MIN_YEAR, max=MAX_YEAR))

    def validate_operating_nok(self, field):
        if not self.investment_nok.errors and not field.errors and \
                not (self.investment_nok.data or field.data):
            raise ValidationError(_l("Fyll inn investering, drift eller begge."))


class FundingSourceForm(EmptyForm):
    fills = FundingSource

    source = StringField(_l("Kilde"), filters=[strip], description=_l(
        "Hvem som betaler, for eksempel «Helse og omsorgs ramme» eller «Statsforvalterens skjønnsmidler»."),
        validators=[InputRequired(_l("Skriv hvor pengene kommer fra."))])
    kind = SelectField(_l("Type"), choices=[(k, _l(v)) for k, v in FUNDING_KINDS.items()],
                       validators=[InputRequired(_l("Velg type."))])
    amount_nok = NokField(_l("Beløp (kroner, valgfritt)"))
    status = SelectField(_l("Status"), choices=[(k, _l(v)) for k, v in FUNDING_STATUSES.items()],
                         validators=[InputRequired(_l("Velg status."))])
    version = HiddenField()
