"""The milestones tab's state changes, each with its audit event (the request commits once)."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.audit import delete_recorded, record
from app.extensions import db
from app.models import Milestone
from app.notifications import handoffs
from app.plan.editing import save, today


class NumberTaken(Exception):
    """Someone else saved a milestone with the same number a moment ago (rolled back)."""


def _flush_or_number_taken(m: Milestone) -> None:
    try:
        save(m)
    except IntegrityError:
        db.session.rollback()
        raise NumberTaken() from None


def add_milestone(project, form, person) -> Milestone:
    """Add the milestone in `form`, and tell its responsible person."""
    m = Milestone(project_id=project.id, number=form.number.data, description=form.description.data,
                  responsible=person, due_date=form.due_date.data, done_date=form.done_date.data,
                  gate=form.gate.data or None)
    db.session.add(m)
    _flush_or_number_taken(m)
    record("milestone.added", obj=m, project_id=project.id, number=m.number,
           description=m.description, due_date=m.due_date.isoformat())
    handoffs.milestone_assigned(m, project)
    return m


def update_milestone(project, m: Milestone, form, person, changes: dict) -> None:
    """Save `changes` (field → new value) typed in `form`; raises StaleEdit or NumberTaken."""
    old_number = m.number
    m.number, m.description, m.responsible = form.number.data, form.description.data, person
    m.due_date, m.done_date, m.gate = form.due_date.data, form.done_date.data, form.gate.data or None
    _flush_or_number_taken(m)
    # A renamed milestone (M1 → M77) carries its old number too; `number` is always the new.
    record("milestone.updated", obj=m, project_id=project.id, number=m.number,
           fields=list(changes), **({"old_number": old_number} if "number" in changes else {}),
           **{k: (v.isoformat() if hasattr(v, "isoformat") else v)
              for k, v in changes.items() if k not in ("description", "number")})
    if "responsible_username" in changes:
        handoffs.milestone_assigned(m, project)


def mark_done(project, m: Milestone) -> None:
    """The milestone is reached today; raises StaleEdit."""
    m.done_date = today()
    save(m)
    record("milestone.done", obj=m, project_id=project.id, number=m.number,
           done_date=m.done_date.isoformat())


def delete_milestone(project, m: Milestone) -> None:
    """Delete the milestone."""
    delete_recorded(m, "milestone.deleted", project_id=project.id, number=m.number, description=m.description,
                    due_date=m.due_date.isoformat())
