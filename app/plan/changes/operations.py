"""The changes tab's state changes: proposing, editing, withdrawing and the owner's
decision, each with its audit event and notifications.

The decision is settled in the database: one conditional UPDATE moves a request from
"proposed" at the version the owner read to approved or rejected. Of two simultaneous
decisions exactly one matches; the other gets 409 with what was decided.
"""
from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _
from sqlalchemy import update
from werkzeug.exceptions import Conflict

from app.audit import delete_recorded, record
from app.extensions import db
from app.models import Project, User
from app.models.base import utcnow
from app.models.change_request import ChangeRequest
from app.notifications.messages import recipient_locale
from app.notifications.services import notify
from app.plan.changes.queries import STATUS_LABELS, describe_decided
from app.plan.editing import save

#: the text fields copied from the form
TEXT_FIELDS = ("title", "description", "reason", "scope_effect", "time_effect", "benefits_effect")


def refuse_if_decided(change: ChangeRequest) -> None:
    """A decided change is part of the record: 409, saying what was decided."""
    if not change.is_open:
        abort(409, describe_decided(change) + " " + _("En besluttet endring kan ikke endres eller slettes."))


# --- the operations -----------------------------------------------------------------------
def _apply(change: ChangeRequest, form) -> None:
    for name in TEXT_FIELDS:
        setattr(change, name, (getattr(form, name).data or "").strip())
    change.cost_effect = form.cost_effect.data


def propose(project: Project, form, user: User) -> ChangeRequest:
    """A new change request; the owner is told (unless the owner proposed it)."""
    change = ChangeRequest(project_id=project.id, proposed_by=user, status="proposed")
    _apply(change, form)
    db.session.add(change)
    db.session.flush()
    record("change_request.proposed", obj=change, project_id=project.id, title=change.title,
           cost_effect=change.cost_effect)
    owner = project.owner
    if owner is not None and owner.id != user.id:
        with recipient_locale(owner):  # in the owner's language
            text = _("%(who)s foreslår en endring i «%(t)s»: %(c)s", who=user.display_name,
                     t=project.title, c=change.title)
            notify(owner, "change_proposed", text, _change_url(change), project=project,
                   mail_subject=_("Endringsforslag til godkjenning: %(c)s", c=change.title),
                   mail_body=text + "\n\n" + _("Som prosjekteier godkjenner eller avviser du endringen."))
    return change


def update_change(change: ChangeRequest, form) -> None:
    """Save the edited proposal (the caller checked the version and that it is open)."""
    _apply(change, form)
    save(change)
    record("change_request.updated", obj=change, project_id=change.project_id, title=change.title)


def delete_change(change: ChangeRequest) -> None:
    """Withdraw (delete) a proposal that is not decided yet."""
    delete_recorded(change, "change_request.deleted", project_id=change.project_id, title=change.title)


def decide(change: ChangeRequest, decision: str, comment: str, user: User, seen_version: int) -> None:
    """The owner approves or rejects. Exactly one of two racing decisions wins; the other
    (or a decision on a proposal edited since the owner read it) raises Conflict (409)."""
    status = {"approve": "approved", "reject": "rejected"}[decision]
    now = utcnow()
    changed = db.session.execute(
        update(ChangeRequest)
        .where(ChangeRequest.id == change.id, ChangeRequest.status == "proposed",
               ChangeRequest.version == seen_version)
        .values(status=status, decided_by_id=user.id, decided_at=now,
                decision_comment=comment.strip(), updated_at=now,
                version=ChangeRequest.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        current = db.session.get(ChangeRequest, change.id)
        if current is None:
            abort(404)
        db.session.refresh(current)
        raise Conflict(describe_decided(current))
    db.session.expire(change)
    record(f"change_request.{status}", obj=change, project_id=change.project_id, title=change.title,
           comment=change.decision_comment, cost_effect=change.cost_effect)
    _notify_decision(change, user)


def _notify_decision(change: ChangeRequest, owner: User) -> None:
    """Tell the prosjektleder (and the proposer, if someone else) what the owner decided."""
    project = change.project
    people = {p.id: p for p in (project.manager, change.proposed_by) if p is not None}
    people.pop(owner.id, None)
    for person in people.values():
        with recipient_locale(person):  # each in their own language
            verb = _("godkjente") if change.status == "approved" else _("avviste")
            text = _("%(who)s %(verb)s endringen «%(c)s» i «%(t)s».", who=owner.display_name, verb=verb,
                     c=change.title, t=project.title)
            if change.decision_comment:
                text += " " + _("Begrunnelse: %(r)s", r=change.decision_comment)
            notify(person, "change_decided", text, _change_url(change), project=project,
                   mail_subject=_("Endringen «%(c)s» er %(s)s", c=change.title,
                                  s=str(STATUS_LABELS[change.status]).lower()))


def _change_url(change: ChangeRequest) -> str:
    return url_for("plan.show_change", project_id=change.project_id, change_id=change.id)
