"""Forms of the changes tab: proposing a change, and the owner's decision."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import EmptyForm, strip
from app.models.change_request import ChangeRequest
from app.plan.editing import format_nok

#: the largest change of cost accepted either way (NOK): far above any municipal project,
#: and inside the 32-bit integer column
MAX_COST_EFFECT = 2_000_000_000
MAX_TEXT = 10_000


class SignedNokField(StringField):
    """A whole number of kroner that may be negative (a saving): "150 000", "-20 000",
    "+ 1.200.000 kr", "−45 000" (with the typographic minus)."""

    _NOISE = re.compile(r"^(kr\.?|nok)\s*|\s*(,-|kr\.?|nok)$", re.IGNORECASE)

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not (valuelist[0] or "").strip():
            return
        raw = valuelist[0].strip().replace("\u2212", "-").replace("\u2013", "-")
        sign = 1
        if raw[:1] in "+-":
            sign = -1 if raw[0] == "-" else 1
            raw = raw[1:].strip()
        raw = self._NOISE.sub("", raw)
        digits = re.sub(r"[\s\u00a0\u202f.]", "", raw)
        if not digits.isdigit():
            raise ValueError(_("Skriv beløpet i hele kroner, for eksempel 150 000, eller -20 000 "
                               "for en innsparing."))
        value = sign * int(digits)
        if abs(value) > MAX_COST_EFFECT:
            raise ValueError(_("Beløpet er for stort. Skriv endringen i hele kroner."))
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return ("-" if self.data < 0 else "") + format_nok(abs(self.data), with_unit=False)


def _text(label, description=None, required_message=None, max_len=MAX_TEXT):
    validators = [DataRequired(required_message)] if required_message else [Optional()]
    validators.append(Length(max=max_len, message=_l("Teksten kan være på høyst %(n)s tegn.", n=max_len)))
    return TextAreaField(label, description=description, validators=validators)


class ChangeRequestForm(EmptyForm):
    """Endringsanmodning: what, why, and the effect on scope, time, cost and benefits."""

    fills = ChangeRequest

    title = StringField(
        _l("Kort navn på endringen"),
        description=_l("For eksempel «Utsette pilot i sone nord til mai»."),
        validators=[DataRequired(_l("Gi endringen et kort navn."))], filters=[strip])
    description = _text(_l("Hva skal endres?"), required_message=_l("Beskriv hva som skal endres."))
    reason = _text(_l("Hvorfor trengs endringen?"), required_message=_l("Forklar hvorfor endringen trengs."))
    scope_effect = _text(_l("Virkning på omfang og leveranser"),
                         _l("Hva blir lagt til, tatt ut eller levert annerledes?"))
    time_effect = _text(_l("Virkning på tid"), _l("For eksempel «Milepæl 4 flyttes tre uker»."))
    cost_effect = SignedNokField(
        _l("Virkning på kostnad (kroner)"),
        description=_l("Hele kroner. Positivt tall når det koster mer, minus når det sparer, "
                       "for eksempel 150 000 eller -20 000. Tomt hvis ikke vurdert."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    benefits_effect = _text(_l("Virkning på gevinster"),
                            _l("Blir gevinstene større, mindre eller senere?"))
    #: the change request's version when the form was loaded ("" when new)
    version = HiddenField()


def with_ids(form, prefix: str):
    """Give every field an id starting with `prefix` (names stay the same), so the new
    proposal and a card being edited can share a page without duplicate ids."""
    for f in form:
        f.id = f"{prefix}{f.name}"
    return form


DECISION_CHOICES = [("approve", _l("Godkjenn")), ("reject", _l("Avvis"))]


class ChangeDecisionForm(EmptyForm):
    """The owner's decision. A rejection needs a reason."""

    #: approve/reject becomes the request's status in the operation; the reason is stored
    fills_columns = {"decision": None, "comment": ChangeRequest.decision_comment}

    decision = RadioField(_l("Beslutning"), choices=DECISION_CHOICES, validate_choice=False)
    comment = TextAreaField(
        _l("Begrunnelse"), description=_l("Påkrevd når du avviser. Kommer med i prosjektets historikk."),
        validators=[Optional(), Length(max=4000, message=_l("Begrunnelsen kan være på høyst 4000 tegn."))])
    #: the version of the change request the owner read
    version = HiddenField()

    def check(self) -> bool:
        """Norwegian messages for a missing choice and a rejection without a reason."""
        ok = True
        if self.decision.data not in ("approve", "reject"):
            self.decision.errors = [*self.decision.errors, _("Velg Godkjenn eller Avvis.")]
            ok = False
        elif self.decision.data == "reject" and not (self.comment.data or "").strip():
            self.comment.errors = [*self.comment.errors, _("Skriv hvorfor du avviser endringen.")]
            ok = False
        return ok and not any(f.errors for f in self)
