"""Forms on the gate page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.concurrency import MAX_VERSION
from app.forms import EmptyForm
from app.models import GateDecision, GateRequest

from app.people.fields import PersonField
from app.workflow import DECISION_VERBS

#: the answers to a hand-answered checklist item
ANSWER_CHOICES = [("ja", _l("Ja")), ("nei", _l("Nei")), ("ikke_relevant", _l("Ikke relevant"))]
#: the owner's four decisions with their button texts (app.workflow's labels)
DECISION_CHOICES = [(action.value, _l(action.label)) for action in DECISION_VERBS]


class RequestGateForm(EmptyForm):
    fills = GateRequest

    summary = TextAreaField(
        _l("Kort oppsummering til prosjekteier"),
        validators=[DataRequired(_l("Skriv en kort oppsummering av hva du ber om godkjenning for.")),
                    Length(max=4000, message=_l("Oppsummeringen kan være på høyst 4000 tegn."))],
    )


def owner_answers_from(formdata, items) -> dict[str, tuple[str, str]]:
    """The owner's answers to the gate's own questions, as posted: key → (value, comment).
    Radio `answer-<key>` (ja / nei / ikke_relevant) and textarea `answer-<key>-comment`."""
    return {item.key: (formdata.get(f"answer-{item.key}") or "",
                       formdata.get(f"answer-{item.key}-comment") or "")
            for item in items}


class DecisionForm(EmptyForm):
    fills = GateDecision
    #: the tick and the request's version are checked by the decision, not stored
    fills_columns = {"postpone_until": GateDecision.postponed_until, "confirm_owner": None,
                     "request_version": None}

    decision = RadioField(_l("Beslutning"), choices=DECISION_CHOICES, validate_choice=False)
    comment = TextAreaField(_l("Begrunnelse"), validators=[Optional(), Length(max=4000)],
                            description=_l("Påkrevd for alle beslutninger unntatt Godkjenn."))
    postpone_until = DateField(_l("Utsett til"), validators=[Optional()],
                               description=_l("Gjelder bare Utsett."))
    #: BP1: the owner confirms the role and appoints the leader of the concept work
    confirm_owner = BooleanField(_l("Jeg tar rollen som prosjekteier for dette prosjektet"))
    manager_username = PersonField(_l("Prosjektleder for konseptarbeidet"))
    #: the request version the owner saw; a decision on a changed request is refused
    request_version = IntegerField(validators=[Optional(), NumberRange(min=0, max=MAX_VERSION)])
    request_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_VERSION)])
