"""Change requests: permissions, proposing, editing, withdrawing, the owner's decision,
the notifications and the history sentences.

The decision is settled in the database: one conditional UPDATE moves a request from
"proposed" at the version the owner read to approved or rejected. Of two simultaneous
decisions exactly one matches; the other gets 409 with what was decided.
"""
from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import Conflict

from app.audit import record
from app.extensions import db
from app.models import Project, User
from app.models.base import utcnow
from app.models.change_request import ChangeRequest
from app.notifications.messages import recipient_locale
from app.notifications.services import notify
from app.plan.common import CLOSED_STAGES, can_edit_plan
from app.plan.editing import format_nok, save

#: status labels (Foreslått, Godkjent, Avvist)
STATUS_LABELS = {"proposed": _l("Foreslått"), "approved": _l("Godkjent"), "rejected": _l("Avvist")}
#: the text fields copied from the form
TEXT_FIELDS = ("title", "description", "reason", "scope_effect", "time_effect", "benefits_effect")

#: the largest id a database integer column holds; larger ids in a URL are simply missing
MAX_ID = 2**31 - 1


# --- permissions (the same functions guard the views and decide the buttons) ------------
def can_propose(project: Project, user) -> bool:
    """Propose changes: the prosjektleder, the owner and administrators, while the project runs."""
    return can_edit_plan(project, user)


def can_edit_change(change: ChangeRequest, user) -> bool:
    """Edit or withdraw a proposal: those who propose, and only until the owner decides."""
    return change.is_open and can_propose(change.project, user)


def can_decide(project: Project, user) -> bool:
    """Approve or reject: the prosjekteier alone, while the project runs."""
    return (project.stage not in CLOSED_STAGES and project.stage != "draft"
            and project.owner_id is not None and user.id == project.owner_id)


# --- loading ------------------------------------------------------------------------------
def changes_for(project: Project) -> list[ChangeRequest]:
    """The project's change requests, newest first, with their people loaded."""
    return list(db.session.execute(
        select(ChangeRequest).where(ChangeRequest.project_id == project.id)
        .options(joinedload(ChangeRequest.proposed_by), joinedload(ChangeRequest.decided_by))
        .order_by(ChangeRequest.proposed_at.desc(), ChangeRequest.id.desc())
    ).scalars())


def get_change_or_404(project: Project, change_id: int) -> ChangeRequest:
    """The project's change request `change_id` (another project's id → 404)."""
    if not 0 < change_id <= MAX_ID:
        abort(404)  # beyond a database integer: cannot exist (and must not reach the driver)
    change = db.session.execute(
        select(ChangeRequest).where(ChangeRequest.id == change_id,
                                    ChangeRequest.project_id == project.id)
        .options(joinedload(ChangeRequest.proposed_by), joinedload(ChangeRequest.decided_by))
    ).scalar_one_or_none()
    if change is None:
        abort(404)
    return change


def summary(changes: list[ChangeRequest]) -> dict:
    """Counts per status and the approved changes' total effect on cost."""
    counts = {code: 0 for code in STATUS_LABELS}
    for c in changes:
        counts[c.status] = counts.get(c.status, 0) + 1
    approved_cost = sum(c.cost_effect or 0 for c in changes if c.status == "approved")
    return {"counts": counts, "approved_cost": approved_cost, "total": len(changes)}


def describe_decided(change: ChangeRequest) -> str:
    """What was decided, for the person whose decision or edit came too late."""
    from app.templating import oslo_datetime

    if change.is_open:
        return _("Endringsforslaget ble endret mens du leste det. Les det på nytt før du "
                 "bestemmer deg.")
    return _("Endringen er allerede %(what)s av %(who)s %(when)s.",
             what=str(STATUS_LABELS[change.status]).lower(),
             who=change.decided_by.display_name if change.decided_by else _("prosjekteier"),
             when=oslo_datetime(change.decided_at))


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
    record("change_request.deleted", obj=change, project_id=change.project_id, title=change.title)
    db.session.delete(change)
    db.session.flush()


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


# --- the history tab ----------------------------------------------------------------------
def signed_nok(value: int | None) -> str:
    """+150 000 kr / −20 000 kr (template filter for cost effects)."""
    if value is None:
        return ""
    if value == 0:
        return "0\u00a0kr"
    return ("+" if value > 0 else "\u2212") + format_nok(abs(value))


def describe_change_event(event) -> str | None:
    """Norwegian sentences for the change requests' audit events."""
    if not event.action.startswith("change_request."):
        return None
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    title = d.get("title", "")
    verb = event.action.split(".", 1)[1]
    if verb == "proposed":
        text = _("%(who)s foreslo endringen «%(t)s».", who=who, t=title)
        if d.get("cost_effect") not in (None, 0):
            text += " " + _("Virkning på kostnad: %(c)s.", c=signed_nok(d["cost_effect"]))
        return text
    if verb == "updated":
        return _("%(who)s endret endringsforslaget «%(t)s».", who=who, t=title)
    if verb == "deleted":
        return _("%(who)s trakk tilbake endringsforslaget «%(t)s».", who=who, t=title)
    if verb in ("approved", "rejected"):
        text = (_("%(who)s godkjente endringen «%(t)s».", who=who, t=title) if verb == "approved"
                else _("%(who)s avviste endringen «%(t)s».", who=who, t=title))
        if d.get("comment"):
            text += " " + _("Begrunnelse: «%(c)s»", c=d["comment"])
        return text
    return None
