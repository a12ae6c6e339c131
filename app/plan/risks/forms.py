"""Forms of the risks tab: a risk or opportunity, and the ITPOSMO assessment."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional

from app.forms import Filled
from app.models.risk import (ITPOSMO_DIMENSIONS, ITPOSMO_MAX, RISK_KINDS, RISK_STATUSES, RISK_STRATEGIES, SCALE,
                             STRATEGIES_FOR_KIND, ItposmoAssessment, Risk)
from app.plan.editing import CleanForm
from app.plan.editing import MAX_TEXT, person_field

#: what 1–5 mean, for probability and for consequence
PROBABILITY_LABELS = {1: _l("Svært lite sannsynlig"), 2: _l("Lite sannsynlig"), 3: _l("Moderat"),
                      4: _l("Sannsynlig"), 5: _l("Svært sannsynlig")}
CONSEQUENCE_LABELS = {1: _l("Svært liten"), 2: _l("Liten"), 3: _l("Middels"), 4: _l("Stor"),
                      5: _l("Svært stor")}
#: probability and consequence as posted ("1" … "5")
SCALE_CODES = tuple(str(v) for v in SCALE)


def _scale(labels, empty_label) -> list[SelectChoice]:
    return [SelectChoice("", empty_label),
            *(SelectChoice(str(v), f"{v} – {label}") for v, label in labels.items())]


class RiskForm(CleanForm):
    """A risk or an opportunity in the register."""

    fills = Risk

    kind = RadioField(_l("Type"), choices=[SelectChoice(k, _l(v)) for k, v in RISK_KINDS.items()], default="risk",
                      validate_choice=False,
                      validators=[AnyOf(RISK_KINDS, message=_l("Velg om det er en risiko eller en mulighet."))])
    description = TextAreaField(
        _l("Beskrivelse"), description=_l("Hva kan skje, og hva blir følgen? For eksempel «Leverandøren "
                                          "leverer integrasjonen mot fagsystemet for sent»."),
        validators=[Length(max=MAX_TEXT, message=_l("Teksten er for lang.")),
                    Filled(_l("Beskriv risikoen eller muligheten."))])
    probability = SelectField(_l("Sannsynlighet"), choices=_scale(PROBABILITY_LABELS, _l("Velg …")),
                              validate_choice=False,
                              validators=[AnyOf(SCALE_CODES, message=_l("Velg sannsynlighet fra 1 til 5."))])
    consequence = SelectField(_l("Konsekvens"), choices=_scale(CONSEQUENCE_LABELS, _l("Velg …")),
                              validate_choice=False,
                              validators=[AnyOf(SCALE_CODES, message=_l("Velg konsekvens fra 1 til 5."))])
    strategy = SelectField(
        _l("Strategi"), description=_l("For risiko: redusere, overvåke, unngå, overføre eller akseptere. "
                                       "For muligheter: utnytte, forsterke, overvåke eller akseptere."),
        choices=[SelectChoice("", _l("Ikke bestemt ennå")),
                 *(SelectChoice(k, _l(v)) for k, v in RISK_STRATEGIES.items())],
        validate_choice=False)
    action = TextAreaField(_l("Tiltak"), description=_l("Hva gjøres, og innen når?"),
                           validators=[Optional(), Length(max=MAX_TEXT, message=_l("Teksten er for lang."))])
    responsible_username = person_field(_l("Ansvarlig"))
    status = RadioField(_l("Status"), choices=[SelectChoice(k, _l(v)) for k, v in RISK_STATUSES.items()],
                        default="open", validate_choice=False,
                        validators=[AnyOf(RISK_STATUSES, message=_l("Velg åpen eller lukket."))])
    probability_after = SelectField(_l("Sannsynlighet etter tiltak"),
                                    choices=_scale(PROBABILITY_LABELS, _l("Ikke vurdert")), validate_choice=False)
    consequence_after = SelectField(_l("Konsekvens etter tiltak"),
                                    choices=_scale(CONSEQUENCE_LABELS, _l("Ikke vurdert")), validate_choice=False)
    #: the risk's version when the form was loaded
    after_comment = TextAreaField(
        _l("Kommentar til vurderingen etter tiltak"),
        description=_l("Må fylles ut hvis skåren etter tiltak er høyere enn før: hvorfor blir det verre?"),
        validators=[Optional(), Length(max=MAX_TEXT, message=_l("Teksten er for lang."))])
    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        strategy = self.strategy.data or ""
        if strategy and strategy not in RISK_STRATEGIES:
            self.strategy.errors.append(_("Velg en strategi fra listen."))
        elif strategy and self.kind.data in RISK_KINDS and strategy not in STRATEGIES_FOR_KIND[self.kind.data]:
            allowed = ", ".join(_(RISK_STRATEGIES[s]).lower() for s in STRATEGIES_FOR_KIND[self.kind.data])
            self.strategy.errors.append(
                _("«%(s)s» passer ikke for en %(k)s. Velg %(a)s.", s=_(RISK_STRATEGIES[strategy]),
                  k=_(RISK_KINDS[self.kind.data]).lower(), a=allowed))
        after = (self.probability_after, self.consequence_after)
        for f in after:
            if (f.data or "") and self.scale_value(f) is None:
                f.errors.append(_("Velg en verdi fra 1 til 5."))
        if bool(self.probability_after.data) != bool(self.consequence_after.data):
            missing = self.consequence_after if self.probability_after.data else self.probability_after
            missing.errors.append(_("Fyll ut både sannsynlighet og konsekvens etter tiltak, eller ingen av dem."))
        self._check_after_comment()
        return ok and not self.errors

    def _check_after_comment(self) -> None:
        """An action that makes the risk worse is unusual: it needs a word of why."""
        values = [self.scale_value(f) for f in (self.probability, self.consequence,
                                                self.probability_after, self.consequence_after)]
        if None in values:
            return
        before, after = values[0] * values[1], values[2] * values[3]
        if after > before and not (self.after_comment.data or "").strip():
            self.after_comment.errors.append(
                _("Skåren etter tiltak (%(a)s) er høyere enn før (%(b)s). Skriv hvorfor.", a=after, b=before))

    @staticmethod
    def scale_value(f) -> int | None:
        """The field's value as 1–5, or None when empty or outside the scale."""
        value = f.data or ""
        return int(value) if value in SCALE_CODES else None


class ItposmoForm(CleanForm):
    """The seven ITPOSMO dimensions, each 0–10 with a comment. Fields are added below."""

    fills = ItposmoAssessment

    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for code in ITPOSMO_DIMENSIONS:
            f = getattr(self, code)
            if f.errors:
                f.errors[:] = [_("Gi en skår fra 0 til %(m)s.", m=ITPOSMO_MAX)]
            elif f.data is None:
                f.errors.append(_("Gi en skår fra 0 til %(m)s.", m=ITPOSMO_MAX))
            elif not 0 <= f.data <= ITPOSMO_MAX:
                f.errors.append(_("Gi en skår fra 0 til %(m)s.", m=ITPOSMO_MAX))
        return ok and not self.errors

    def dimensions(self):
        """(code, name, help, score field, comment field) in ITPOSMO order."""
        for code, (name, help_text) in ITPOSMO_DIMENSIONS.items():
            yield code, name, help_text, getattr(self, code), getattr(self, f"{code}_comment")


for _code, (_name, _help) in ITPOSMO_DIMENSIONS.items():
    setattr(ItposmoForm, _code, IntegerField(_l("Skår (0–10)"), validators=[Optional()],
                                             render_kw={"min": 0, "max": ITPOSMO_MAX}))
    setattr(ItposmoForm, f"{_code}_comment", TextAreaField(
        _l("Kommentar"), validators=[Optional(), Length(max=5000, message=_l("Skriv høyst 5000 tegn."))]))


def risk_form(prefix: str, bound: bool = False, **kwargs) -> RiskForm:
    return RiskForm(prefix=prefix, **kwargs) if bound else RiskForm(prefix=prefix, formdata=None, **kwargs)


def itposmo_form(bound: bool = False, **kwargs) -> ItposmoForm:
    prefix = "itposmo_"
    return ItposmoForm(prefix=prefix, **kwargs) if bound else ItposmoForm(prefix=prefix, formdata=None, **kwargs)


def new_risk_form() -> RiskForm:
    """The empty form under the register."""
    return risk_form("new_")


def edit_risk_form(risk, bound: bool = False) -> RiskForm:
    """The form in place of `risk`'s row: the posted one (`bound`), or filled from the risk."""
    form = risk_form(f"r{risk.id}_", bound=bound)
    if not bound:
        form.kind.data = risk.kind
        form.description.data = risk.description
        form.probability.data = str(risk.probability)
        form.consequence.data = str(risk.consequence)
        form.strategy.data = risk.strategy
        form.action.data = risk.action
        form.responsible_username.data = risk.responsible.username if risk.responsible else ""
        form.status.data = risk.status
        form.probability_after.data = str(risk.probability_after or "")
        form.consequence_after.data = str(risk.consequence_after or "")
        form.after_comment.data = risk.after_comment
        form.version.data = risk.version
    return form


def itposmo_edit_form(assessment) -> ItposmoForm:
    """The ITPOSMO form filled from `assessment` (version 0: there is none yet)."""
    form = itposmo_form()
    if assessment is not None:
        for code in ITPOSMO_DIMENSIONS:
            getattr(form, code).data = getattr(assessment, code)
            getattr(form, f"{code}_comment").data = getattr(assessment, f"{code}_comment")
        form.version.data = assessment.version
    else:
        form.version.data = 0
    return form


def risk_conflicts(form: RiskForm, risk) -> list[tuple[str, str]]:
    """For a refused (stale) save: (label, what is stored now) for each field that differs
    from what was typed."""
    stored = {
        "kind": (risk.kind, _(RISK_KINDS.get(risk.kind, risk.kind))),
        "description": (risk.description, risk.description),
        "probability": (str(risk.probability), str(risk.probability)),
        "consequence": (str(risk.consequence), str(risk.consequence)),
        "strategy": (risk.strategy, _(RISK_STRATEGIES.get(risk.strategy, "")) if risk.strategy else ""),
        "action": (risk.action, risk.action),
        "responsible_username": (risk.responsible.username if risk.responsible else "",
                                 risk.responsible.display_name if risk.responsible else ""),
        "status": (risk.status, _(RISK_STATUSES.get(risk.status, risk.status))),
        "probability_after": (str(risk.probability_after or ""), str(risk.probability_after or "")),
        "consequence_after": (str(risk.consequence_after or ""), str(risk.consequence_after or "")),
        "after_comment": (risk.after_comment, risk.after_comment),
    }
    out = []
    for name, (value, shown) in stored.items():
        typed = (getattr(form, name).data or "")
        typed = typed.strip() if isinstance(typed, str) else str(typed)
        if typed != (value or "").strip():
            out.append((str(getattr(form, name).label.text), shown or _("(tomt)")))
    return out


def itposmo_conflicts(form: ItposmoForm, assessment) -> list[tuple[str, str]]:
    """(dimension, what is stored now) where it differs from what was typed."""
    fields = []
    for code, (name, _h) in ITPOSMO_DIMENSIONS.items() if assessment is not None else ():
        score, comment = getattr(assessment, code), getattr(assessment, code + "_comment")
        typed_comment = (getattr(form, code + "_comment").data or "").strip()
        if getattr(form, code).data != score or typed_comment != comment:
            fields.append((_(name), f"{score} – {comment or '–'}"))
    return fields
