"""The checklist's hand answers, saved together: one form on the gate page holds every
item the person asking for the decision answers (Ja / Nei / Ikke relevant, a comment
unless Ja), and one save writes the ones that person changed.

All or nothing: an answer that is wrong (422) or that someone else changed meanwhile
(409) stops the whole save, and each is explained beside its own item with what was
typed kept. An item is "changed" when what is posted differs from what the page showed
(`seen`, a digest drawn with the page), so an item the person left alone is never
written back over someone else's newer answer, nor refused because of it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, Forbidden

from app.audit import record
from app.extensions import db
from app.gates.errors import GateInputError
from app.gates.owner_answers import MAX_ANSWER_COMMENT
from app.gates.services import answers_for, lock_project
from app.models import ChecklistAnswer, Project, User
from app.workflow import Action, Gate, TransitionRefused, perform, validate_answer


@dataclass(frozen=True)
class TypedAnswer:
    """One item's answer as posted."""

    value: str
    comment: str
    #: the answer's version the page showed: 0 for "not answered yet", None when not sent
    version: int | None = None
    #: False when the posted answer is what the page showed (the person left it alone)
    touched: bool = True


class ChecklistRefused(GateInputError):
    """The save is refused: `errors` holds the message beside each item (by item key);
    `conflicts` the items someone else answered meanwhile (then the status is 409)."""

    def __init__(self, errors: dict[str, str], conflicts: set[str]):
        super().__init__(_("Svarene er ikke lagret."), None, errors)
        self.conflicts = set(conflicts)
        self.status = 409 if conflicts else 422


def seen_digest(value: str | None, comment: str | None) -> str:
    """A short fingerprint of an answer as a page shows it (posted back as `seen`)."""
    text = f"{(value or '').strip()}\n{(comment or '').strip()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def typed_answers(formdata, items) -> dict[str, TypedAnswer]:
    """The answers posted for `items`: radio `answer-<key>`, textarea
    `answer-<key>-comment`, hidden `answer-<key>-version` and `answer-<key>-seen`.
    Items with nothing posted at all are left out."""
    typed = {}
    for item in items:
        name = f"answer-{item.key}"
        if not any(n in formdata for n in (name, f"{name}-comment", f"{name}-version")):
            continue
        value = (formdata.get(name) or "").strip()
        comment = (formdata.get(f"{name}-comment") or "").strip()
        seen = formdata.get(f"{name}-version")
        version = int(seen) if (seen or "").isdigit() and len(seen) < 10 else (0 if seen == "" else None)
        digest = formdata.get(f"{name}-seen")
        typed[item.key] = TypedAnswer(value, comment, version,
                                      touched=digest is None or digest != seen_digest(value, comment))
    return typed


def answer_items(project: Project, gate: Gate, typed: dict[str, TypedAnswer], user: User) -> list[str]:
    """Save the changed answers (one audit event each); the keys written, in order.

    Refused as a whole (ChecklistRefused) when an answer is wrong or was changed by
    someone else since the page was drawn; Forbidden or Conflict (409) when the person
    may not answer or the checklist is locked by a waiting request.
    """
    lock_project(project)  # a request opened a moment ago locks the checklist
    try:
        perform(project.gate_state(), Action.ANSWER_CHECKLIST, project.workflow_roles(user),
                today=date.today())
    except TransitionRefused as exc:
        if exc.is_forbidden:
            raise Forbidden(_(exc.message))
        # The checklist is locked while a request waits: the state, not the input, is wrong.
        raise Conflict(_(exc.message))
    stored = answers_for(project, gate)
    errors: dict[str, str] = {}
    conflicts: set[str] = set()
    changed: list[str] = []
    for key, answer in typed.items():
        row = stored.get(key)
        if not answer.touched or (not answer.value and not answer.comment and row is None):
            continue
        if row is not None and (row.value, row.comment) == (answer.value, answer.comment):
            continue  # the same as stored: nothing to write, nothing to conflict with
        if row is not None and answer.version is not None and row.version != answer.version:
            conflicts.add(key)
            errors[key] = _stale_message(row)
            continue
        problem = validate_answer(answer.value, answer.comment)
        if problem:
            errors[key] = _(problem)
        elif len(answer.comment) > MAX_ANSWER_COMMENT:
            errors[key] = _("Kommentaren kan være på høyst 2000 tegn.")
        else:
            changed.append(key)
    if errors:
        raise ChecklistRefused(errors, conflicts)
    for key in changed:
        row = stored.get(key)
        if row is None:
            row = ChecklistAnswer(project_id=project.id, gate=gate.value, item_key=key)
            db.session.add(row)
        row.value, row.comment, row.answered_by = typed[key].value, typed[key].comment, user
    try:
        db.session.flush()
    except (IntegrityError, StaleDataError):
        # Two saves of the same item at once, past the project lock: the first one stands.
        db.session.rollback()
        message = _("Noen andre svarte på dette punktet samtidig. Det du skrev står fortsatt i "
                    "skjemaet; se svaret som gjelder nå og lagre på nytt.")
        raise ChecklistRefused({key: message for key in changed}, set(changed))
    for key in changed:
        record("gate.checklist_answered", obj=project, project_id=project.id, gate=gate.value,
               item=key, value=typed[key].value, comment=typed[key].comment)
    return changed


def _stale_message(row: ChecklistAnswer) -> str:
    """What the person who lost the race is told beside the item: who answered, and what
    is stored now."""
    message = _("%(who)s endret dette punktet mens du svarte. Svaret nå er «%(v)s». "
                "Det du skrev står fortsatt i skjemaet.",
                who=row.answered_by.display_name, v=answer_label(row.value))
    if row.comment:
        message += " " + _("Kommentaren nå: «%(c)s».", c=row.comment)
    return message


def answer_label(value: str) -> str:
    """Ja, Nei or Ikke relevant, in the reader's language."""
    return {"ja": _("Ja"), "nei": _("Nei"), "ikke_relevant": _("Ikke relevant")}.get(value, value)
