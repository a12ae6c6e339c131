"""The owner's answers to a gate's own questions (BP1: fits the strategy, a project and not
line work ...), given in the decision form: checked, explained when they stop approval,
and stored with the decision."""
from __future__ import annotations

from flask_babel import gettext as _

from app.audit import record
from app.extensions import db
from app.gates.errors import GateInputError
from app.models import ChecklistAnswer, Project, User
from app.workflow import Answer, ChecklistResult, Gate, ItemState, decision_items, validate_answer

#: the longest comment on a checklist answer (as the checklist form allows)
MAX_ANSWER_COMMENT = 2000


def owner_answers(gate: Gate, answers: dict) -> dict[str, Answer] | None:
    """The owner's answers to the gate's own questions, checked; None when the gate has
    none. An unanswered question is left out (approval decides whether it may be)."""
    items = decision_items(gate)
    if not items:
        return None
    typed, errors = {}, {}
    for item in items:
        value, note = answers.get(item.key, (None, None))
        value, note = (value or "").strip(), (note or "").strip()
        if not value:
            if note:
                errors[item.key] = _("Velg Ja, Nei eller Ikke relevant.")
            continue
        problem = validate_answer(value, note)
        if problem is None and len(note) > MAX_ANSWER_COMMENT:
            problem = _("Kommentaren kan være på høyst 2000 tegn.")
        if problem:
            errors[item.key] = _(problem)
        else:
            typed[item.key] = Answer(value, note)
    if errors:
        raise GateInputError(_("Noen av svarene må rettes."), None,
                             {f"answer-{key}": message for key, message in errors.items()})
    return typed


def approval_errors(checklist: ChecklistResult) -> dict[str, str]:
    """Beside each of the owner's must-hold questions that stops approval: why."""
    errors = {}
    for entry in checklist.approval_blocking:
        if entry.state is ItemState.UNANSWERED:
            message = _("Svar på dette før du godkjenner.")
        elif entry.state is ItemState.FAILED:
            message = _("Du har svart Nei. Godkjenning krever Ja eller Ikke relevant; avvis "
                        "eller send tilbake i stedet.")
        else:
            message = _("Skriv en kommentar når svaret ikke er Ja.")
        errors[f"answer-{entry.key}"] = message
    return errors


def store_owner_answers(project: Project, gate: Gate, typed: dict[str, Answer], owner: User,
                        stored: dict[str, ChecklistAnswer]) -> None:
    """Keep the owner's answers (they show in the checklist and in every later decision).
    `stored` is the gate's answers as the database has them now (`answers_for`)."""
    if not typed:
        return
    for key, answer in typed.items():
        row = stored.get(key)
        if row is None:
            row = ChecklistAnswer(project_id=project.id, gate=gate.value, item_key=key)
            db.session.add(row)
        elif (row.value, row.comment) == (answer.value, answer.comment) and row.answered_by_id == owner.id:
            continue
        row.value, row.comment, row.answered_by = answer.value, answer.comment, owner
        record("gate.checklist_answered", obj=project, project_id=project.id, gate=gate.value,
               item=key, value=answer.value, comment=answer.comment)
    db.session.flush()
