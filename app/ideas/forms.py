"""The idea form. A draft needs only a title; "Send inn" needs the rest."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import EmptyForm
from app.models import Project
from app.people.fields import PersonField

YES_NO_UNKNOWN_CHOICES = [("yes", _l("Ja")), ("no", _l("Nei")), ("unknown", _l("Vet ikke"))]

#: the shortest description of the need that can be called "clearly described" (BP1)
NEED_MIN_LENGTH = 20


class IdeaForm(EmptyForm):
    fills = Project

    title = StringField(
        _l("Tittel"),
        validators=[DataRequired(_l("Gi ideen en tittel.")),
                    Length(min=5, message=_l("Skriv en tittel på minst 5 tegn."))],
    )
    need = TextAreaField(
        _l("Behov eller problem"),
        description=_l("Hvordan er det i dag, og hva er problemet? Beskriv dagens situasjon."),
        validators=[Optional(), Length(max=10000)],
    )
    proposed_solution = TextAreaField(_l("Forslag til løsning"), validators=[Optional(), Length(max=10000)])
    expected_benefits = TextAreaField(
        _l("Forventede gevinster"),
        description=_l("Hva blir bedre, for hvem, og hvor mye? For eksempel spart tid, bedre kvalitet eller lavere kostnader."),
        validators=[Optional(), Length(max=10000)],
    )
    affected = TextAreaField(_l("Hvem berøres"), description=_l("Ansatte, innbyggere, enheter eller andre som påvirkes."),
                             validators=[Optional(), Length(max=5000)])
    unit = StringField(_l("Enhet"), validators=[Optional()])
    owner_username = PersonField(_l("Foreslått prosjekteier"), owners_only=True)
    personal_data = RadioField(_l("Behandles personopplysninger?"), choices=YES_NO_UNKNOWN_CHOICES,
                               default="unknown", validate_choice=False)
    needs_ikt = RadioField(_l("Trengs hjelp fra IKT?"), choices=YES_NO_UNKNOWN_CHOICES,
                           default="unknown", validate_choice=False)

    def submission_errors(self) -> dict[str, list[str]]:
        """Errors that only stop "Send inn" (a draft may be unfinished)."""
        errors: dict[str, list[str]] = {}
        need = (self.need.data or "").strip()
        if not need:
            errors["need"] = [str(_l("Beskriv behovet eller problemet."))]
        elif len(need) < NEED_MIN_LENGTH:
            errors["need"] = [str(_l("Beskriv behovet litt mer utfyllende (minst %(n)s tegn).", n=NEED_MIN_LENGTH))]
        if not (self.unit.data or "").strip():
            errors["unit"] = [str(_l("Skriv hvilken enhet ideen hører til."))]
        if not (self.owner_username.data or "").strip():
            errors["owner_username"] = [str(_l("Velg en foreslått prosjekteier."))]
        for name in ("personal_data", "needs_ikt"):
            if getattr(self, name).data not in ("yes", "no", "unknown"):
                errors[name] = [str(_l("Velg Ja, Nei eller Vet ikke."))]
        return errors
