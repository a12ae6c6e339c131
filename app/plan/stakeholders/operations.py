"""The stakeholders tab's state changes, each with its audit event (the request commits once)."""
from __future__ import annotations

from sqlalchemy import func, update

from app.audit import delete_recorded, record
from app.extensions import db
from app.models.stakeholder import CommunicationActivity, Stakeholder
from app.plan.common import apply_edit
from app.plan.editing import shorten
from app.plan.stakeholders.forms import ActivityForm, StakeholderForm


def _s_values(s: Stakeholder) -> dict:
    return dict(name=s.name, interest=s.interest, influence=s.influence, notes=shorten(s.notes))


def _a_values(a: CommunicationActivity) -> dict:
    return dict(what=a.what, audience=a.audience_label, channel=a.channel,
                planned_on=a.planned_on.isoformat() if a.planned_on else "",
                responsible=a.responsible.display_name if a.responsible else "", status=a.status)


def _apply_stakeholder(s: Stakeholder, form: StakeholderForm) -> None:
    s.name = form.name.data.strip()
    s.interest = StakeholderForm.level(form.interest)
    s.influence = StakeholderForm.level(form.influence)
    s.notes = (form.notes.data or "").strip()


def _apply_activity(project, a: CommunicationActivity, form: ActivityForm, person) -> None:
    a.what = form.what.data.strip()
    audience = form.audience.data.strip()
    # "To whom" names a stakeholder when it matches one; otherwise it is a free text.
    a.stakeholder = db.session.execute(
        db.select(Stakeholder).where(Stakeholder.project_id == project.id,
                                     func.lower(Stakeholder.name) == audience.lower()).limit(1)
    ).scalar_one_or_none()
    a.audience = audience
    a.channel = form.channel.data
    a.planned_on = form.planned_on.data
    a.responsible = person
    a.status = form.status.data


def create_stakeholder(project, form: StakeholderForm) -> Stakeholder:
    """Add the stakeholder in `form`."""
    s = Stakeholder(project_id=project.id)
    _apply_stakeholder(s, form)
    db.session.add(s)
    db.session.flush()
    record("stakeholder.created", obj=s, project_id=project.id, **_s_values(s))
    return s


def update_stakeholder(project, s: Stakeholder, form: StakeholderForm, *, valid: bool) -> dict | None:
    """Save `form` over `s` (see `apply_edit` for what it returns and raises)."""
    changes = apply_edit(s, form.version.data, lambda obj: _apply_stakeholder(obj, form), _s_values,
                         valid=valid)
    if changes:
        record("stakeholder.updated", obj=s, project_id=project.id, name=s.name, changes=changes)
    return changes


def delete_stakeholder(project, s: Stakeholder) -> dict:
    """Delete a stakeholder; activities addressed to them keep the name as typed text."""
    values = _s_values(s)
    # Done here, not left to ON DELETE SET NULL: SQLite does not enforce foreign keys.
    db.session.execute(
        update(CommunicationActivity).where(CommunicationActivity.stakeholder_id == s.id)
        .values(stakeholder_id=None, audience=s.name[:200]).execution_options(synchronize_session="fetch"))
    db.session.delete(s)
    db.session.flush()
    record("stakeholder.deleted", obj=s, project_id=project.id, **values)
    return values


def create_activity(project, form: ActivityForm, person) -> CommunicationActivity:
    """Add the activity in `form` to the communication plan."""
    a = CommunicationActivity(project_id=project.id)
    _apply_activity(project, a, form, person)
    db.session.add(a)
    db.session.flush()
    record("communication.created", obj=a, project_id=project.id, **_a_values(a))
    return a


def update_activity(project, a: CommunicationActivity, form: ActivityForm, person, *,
                    valid: bool) -> dict | None:
    """Save `form` over `a` (see `apply_edit` for what it returns and raises)."""
    changes = apply_edit(a, form.version.data, lambda obj: _apply_activity(project, obj, form, person),
                         _a_values, valid=valid)
    if changes:
        record("communication.updated", obj=a, project_id=project.id, what=a.what, changes=changes)
    return changes


def delete_activity(project, a: CommunicationActivity) -> dict:
    """Delete an activity; returns how the history shows it."""
    values = _a_values(a)
    delete_recorded(a, "communication.deleted", project_id=project.id, **values)
    return values
