"""Operations on a project outside the gates: withdraw it, hand the owner role on.

Like the gate decisions, each settles a race in the database: a change based on a project
(or an open request) that someone else changed in the meantime is refused with a Conflict
(409) that says what happened, never a server error.
"""
from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict

from app.audit import record
from app.extensions import db
from app.models import OPEN_STATUSES, GateRequest, Project, User
from app.notifications.messages import recipient_locale
from app.notifications.services import notify
from app.people.owners import require_eligible_owner
from app.templating import oslo_datetime, stage_label
from app.workflow import Action, check_owner_not_manager, decision_verb, perform


def describe_state(project: Project | None) -> str:
    """One sentence on where the project stands now: its latest gate decision, or its stage."""
    if project is None:
        return ""
    if project.stage == "withdrawn":
        return _("Prosjektet er trukket.")
    decisions = [d for r in project.gate_requests for d in r.decisions]
    if decisions:
        latest = max(decisions, key=lambda d: (d.decided_at, d.id))
        return _("%(who)s %(verb)s %(gate)s %(when)s.", who=latest.decided_by.display_name,
                 verb=_(decision_verb(latest.decision)), gate=latest.request.gate,
                 when=oslo_datetime(latest.decided_at))
    return _("Prosjektet er nå i fasen %(stage)s.", stage=stage_label(project.stage))


def changed_meanwhile(project_id: int) -> Conflict:
    """The 409 for someone who acted on a project that changed under them."""
    db.session.rollback()
    project = db.session.get(Project, project_id)
    return Conflict(_("Noen andre endret prosjektet mens du holdt på. %(now)s Last siden på nytt.",
                      now=describe_state(project)))


def flush_or_conflict(project: Project) -> None:
    """Flush; the project's version column refuses a change based on an older version."""
    project_id = project.id  # unreadable once the failed flush has spoiled the session
    try:
        db.session.flush()
    except StaleDataError:
        raise changed_meanwhile(project_id)


def withdraw(project: Project, user: User, comment: str) -> None:
    """The submitter withdraws the idea or project (before BP2); an open request closes.

    The request is closed only if it is still open: an owner's decision a moment earlier
    wins, and this withdrawal is refused rather than overwriting it.
    """
    outcome = perform(project.gate_state(), Action.WITHDRAW, project.workflow_roles(user),
                      today=date.today(), comment=comment)
    req = project.open_request
    if req is not None:
        closed = db.session.execute(
            update(GateRequest)
            .where(GateRequest.id == req.id, GateRequest.status.in_(OPEN_STATUSES))
            .values(status="withdrawn", version=GateRequest.version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if closed != 1:
            raise changed_meanwhile(project.id)
        db.session.expire(req)
    project.stage = outcome.stage.value
    flush_or_conflict(project)
    record("project.withdrawn", obj=project, project_id=project.id, comment=outcome.comment)


def transfer_owner(project: Project, new_owner: User, by: User) -> None:
    """Hand the owner role on. While an idea, the new owner has yet to confirm it at BP1.

    The new owner is told, and sent straight to a decision already waiting for them.
    Raises OwnerNotEligible when `new_owner` may not own projects, and TransitionRefused
    when they are the project's manager.
    """
    require_eligible_owner(new_owner)
    check_owner_not_manager(new_owner.id, project.manager_id)
    old = project.owner
    project.owner = new_owner
    if project.stage == "idea":
        project.owner_confirmed_at = None
    flush_or_conflict(project)
    record("project.owner_transferred", obj=project, project_id=project.id,
           from_name=old.display_name if old else None, to_name=new_owner.display_name,
           to=new_owner.username)
    if new_owner.id == by.id:
        return
    with recipient_locale(new_owner):  # in the new owner's language
        text = _("%(who)s har gjort deg til prosjekteier for «%(title)s».", who=by.display_name,
                 title=project.title)
        url = url_for("projects.show_project", project_id=project.id)
        req = project.open_request
        if req is not None:
            text += " " + _("%(gate)s venter på din beslutning.", gate=req.gate)
            url = url_for("gates.show_gate", project_id=project.id, gate_code=req.gate)
        notify(new_owner, "owner_transferred", text, url, project=project,
               mail_subject=_("Du er prosjekteier for %(title)s", title=project.title))
