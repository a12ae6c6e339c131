"""Gate operations: request a decision, decide (the checklist's answers are in checklist.py).

Each runs inside the request's transaction and writes its audit event there. Races are
settled in the database: a unique index allows one open request per project, and a
decision updates its request only if the request is still open at the version the owner
saw. The loser gets a Conflict (409) naming what was decided.
"""
from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, Forbidden

from app.audit import record
from app.directory import DirectoryUnavailable
from app.extensions import db
from app.gates.facts import facts_for
from app.models import OPEN_STATUSES, ChecklistAnswer, GateDecision, GateRequest, Project, User
from app.models.base import utcnow
from app.notifications import handoffs
from app.notifications.messages import recipient_locale
from app.notifications.services import notify
from app.templating import oslo_datetime
from app.gates.errors import GateInputError
from app.gates.owner_answers import approval_errors, owner_answers, store_owner_answers
from app.people.owners import OwnerNotEligible, require_eligible_owner
from app.people.resolve import PersonNotResolved, resolve_person
from app.projects.services import changed_meanwhile
from app.workflow import (Action, Answer, ChecklistResult, Gate, TransitionRefused,
                          check_owner_not_manager, decision_verb, evaluate, perform)



def refused(exc: TransitionRefused, field: str | None = None) -> GateInputError:
    return GateInputError(_(exc.message), field)


def answers_for(project: Project, gate: Gate) -> dict[str, ChecklistAnswer]:
    """The hand-given answers of the gate's checklist, as the database has them now."""
    rows = db.session.execute(
        db.select(ChecklistAnswer).where(ChecklistAnswer.project_id == project.id,
                                         ChecklistAnswer.gate == gate.value)
        .execution_options(populate_existing=True)
    ).scalars()
    return {row.item_key: row for row in rows}


def lock_project(project: Project) -> None:
    """Serialise gate work on one project and read its state afresh, before acting on it.

    The page's project and its requests are read by separate statements, which can
    straddle someone else's commit (a decision, a request, an answer). So the first write
    of the transaction takes the project's row (PostgreSQL's row lock; SQLite's write
    lock), and only while the stage is still the one just read; after that the requests
    are read again and nobody else can change them until this request commits.
    """
    project_id, stage = project.id, project.stage
    locked = db.session.execute(
        update(Project).where(Project.id == project_id, Project.stage == stage)
        .values(updated_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    if locked != 1:
        raise changed_meanwhile(project_id)
    for req in list(project.gate_requests):
        db.session.expire(req)
    db.session.expire(project)


def checklist_for(project: Project, gate: Gate, answers=None) -> ChecklistResult:
    """The gate's checklist for the project as it stands now."""
    answers = answers if answers is not None else answers_for(project, gate)
    return evaluate(gate, facts_for(project),
                    {key: Answer(a.value, a.comment) for key, a in answers.items()})


def request_gate(project: Project, gate: Gate, summary: str, user: User) -> GateRequest:
    """"Be om godkjenning": freeze the checklist and ask the owner.

    Two requests at once (a double click) cannot both open: the project lock makes the
    second see the first, and the unique index on open requests stands behind it.
    """
    lock_project(project)
    checklist = checklist_for(project, gate)
    try:
        outcome = perform(project.gate_state(), Action.REQUEST_GATE, project.workflow_roles(user),
                          today=date.today(), checklist=checklist)
    except TransitionRefused as exc:
        if exc.code == "request_open":
            raise Conflict(_describe_open(project))
        raise refused(exc)
    req = open_request(project, gate, summary, user, outcome.checklist_snapshot or [])
    if project.owner is not None and project.owner.id != user.id:
        with recipient_locale(project.owner):  # in the owner's language
            notify(project.owner, "gate_requested",
                   _("%(who)s ber deg godkjenne %(gate)s for «%(title)s».",
                     who=user.display_name, gate=gate.value, title=project.title),
                   url_for("gates.show_gate", project_id=project.id, gate_code=gate.value),
                   project=project,
                   mail_subject=_("Beslutning trengs: %(gate)s for %(title)s", gate=gate.value,
                                  title=project.title))
    return req


def require_open_request(project: Project, gate: Gate, request_id: int | None = None) -> GateRequest:
    """The request the owner's form was drawn for, still open; else a Conflict (409) that
    says what was decided meanwhile. Checked before anything in the form is judged: an
    owner whose request was decided in another tab must hear that, not be asked to fix a
    form that is no longer there."""
    req = project.open_request
    if req is None or req.gate != gate.value or (request_id and req.id != request_id):
        raise _decided_meanwhile(project.id, gate)
    return req


def open_request(project: Project, gate: Gate, summary: str, user: User,
                 snapshot: list) -> GateRequest:
    """Store a new open request with the checklist frozen in it, and its audit event.

    The unique index on open requests settles a race: the loser gets a Conflict (409)
    saying which request waits already."""
    req = GateRequest(project_id=project.id, gate=gate.value, status="pending",
                      summary=(summary or "").strip(), requested_by=user,
                      checklist_snapshot=snapshot)
    db.session.add(req)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request was opened a moment ago (a double click, or a colleague).
        db.session.rollback()
        raise Conflict(_describe_open(db.session.get(Project, project.id)))
    record("gate.requested", obj=req, project_id=project.id, gate=gate.value, summary=req.summary)
    return req


def decide(project: Project, gate: Gate, decision: str, user: User, *, comment: str = "",
           postpone_until: date | None = None, request_id: int | None = None,
           request_version: int | None = None, confirm_owner: bool = False,
           manager_username: str | None = None, manager_chosen: str = "",
           answers: dict[str, tuple[str | None, str | None]] | None = None) -> GateDecision:
    """The owner's decision on the open request. Exactly one of two racing decisions wins.

    `answers` are the owner's answers to the gate's own questions (BP1: fits the strategy,
    a project and not line work …), key → (value, comment); approval needs the must-hold
    ones answered Ja or Ikke relevant, "anbefalt" ones only warn. Everything is checked
    before anything is written, so a refused decision changes nothing.
    """
    req = require_open_request(project, gate, request_id)
    if project.owner is not None and project.owner_id == user.id:
        try:
            require_eligible_owner(project.owner)
        except OwnerNotEligible as exc:
            raise Forbidden(exc.message + " " + _("Be en administrator om å overføre "
                                                  "prosjekteierskapet til en leder."))
    typed = owner_answers(gate, answers or {})
    checklist = None
    if decision == Action.APPROVE.value and typed is not None:
        stored = {key: Answer(a.value, a.comment) for key, a in answers_for(project, gate).items()}
        checklist = evaluate(gate, facts_for(project), {**stored, **typed})
    try:
        outcome = perform(project.gate_state(), Action(decision), project.workflow_roles(user),
                          today=date.today(), comment=comment, postpone_until=postpone_until,
                          checklist=checklist)
    except TransitionRefused as exc:
        field = {"comment_required": "comment", "postpone_date": "postpone_until"}.get(exc.code)
        if exc.code == "not_owner":
            raise Forbidden(_(exc.message))
        if exc.code == "approval_blocking":
            raise GateInputError(_(exc.message), None, approval_errors(checklist))
        raise refused(exc, field)

    manager = project.manager
    if gate is Gate.BP1 and decision == "approve":
        if not confirm_owner:
            raise GateInputError(_("Bekreft at du tar rollen som prosjekteier."), "confirm_owner")
        try:
            manager = resolve_person(manager_username, manager_chosen)
        except PersonNotResolved as exc:
            raise GateInputError(exc.message, "manager_username")
        except DirectoryUnavailable:
            raise GateInputError(_("Brukerkatalogen svarer ikke akkurat nå. Prøv igjen om litt."),
                                 "manager_username")
        if manager is None:
            raise GateInputError(_("Velg hvem som skal lede konseptarbeidet."), "manager_username")
    try:
        check_owner_not_manager(project.owner_id, manager.id if manager else None)
    except TransitionRefused as exc:
        raise refused(exc, "manager_username" if gate is Gate.BP1 else None)

    # The race is settled here: only an update of a still-open request at the version the
    # owner saw goes through; the other decision updates nothing and gets 409.
    seen = request_version if request_version is not None else req.version
    status = outcome.request_status.value
    changed = db.session.execute(
        update(GateRequest)
        .where(GateRequest.id == req.id, GateRequest.version == seen,
               GateRequest.status.in_(OPEN_STATUSES))
        .values(status=status, version=GateRequest.version + 1,
                postponed_until=outcome.postponed_until)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise _decided_meanwhile(project.id, gate)
    db.session.expire(req)

    if typed:
        store_owner_answers(project, gate, typed, user, answers_for(project, gate))
    snapshot = checklist_for(project, gate).snapshot()
    row = GateDecision(request_id=req.id, decision=decision, decided_by=user,
                       comment=outcome.comment, postponed_until=outcome.postponed_until,
                       checklist_snapshot=snapshot)
    db.session.add(row)
    if outcome.stage_changed:
        project.stage = outcome.stage.value
    if gate is Gate.BP1 and decision == "approve":
        project.owner_confirmed_at = utcnow()
        project.manager = manager
    project_id = project.id  # unreadable once a failed flush has spoiled the session
    try:
        # The project's version column refuses a change based on an older project (the
        # owner role handed on, or the project withdrawn, a moment ago).
        db.session.flush()
    except StaleDataError:
        raise _decided_meanwhile(project_id, gate)
    record("gate.decided", obj=row, project_id=project.id, gate=gate.value, decision=decision,
           comment=row.comment, stage=project.stage,
           postponed_until=outcome.postponed_until.isoformat() if outcome.postponed_until else None,
           manager=manager.username if (gate is Gate.BP1 and manager) else None,
           manager_name=manager.display_name if (gate is Gate.BP1 and manager) else None)
    handoffs.after_gate_decision(project, gate.value, decision, user,
                                 manager=manager if gate is Gate.BP1 else None)
    _notify_decision(project, gate, req, row, user)
    # The beslutningsprotokoll (and at BP2, BP3 and BP5 the document) as PDF/A, frozen now.
    from app.decisions.services import freeze_decision  # the plan tabs import the gates

    freeze_decision(project, gate, row)
    return row


def _notify_decision(project: Project, gate: Gate, req: GateRequest, row: GateDecision, owner: User):
    people = {p.id: p for p in (req.requested_by, project.manager, project.submitted_by) if p}
    people.pop(owner.id, None)
    url = url_for("gates.show_gate", project_id=project.id, gate_code=gate.value)
    for person in people.values():
        with recipient_locale(person):  # each in their own language
            text = _("%(who)s %(verb)s %(gate)s for «%(title)s».", who=owner.display_name,
                     verb=_(decision_verb(row.decision)), gate=gate.value, title=project.title)
            if row.comment:
                text += " " + _("Begrunnelse: %(c)s", c=row.comment)
            notify(person, "gate_decided", text, url, project=project,
                   mail_subject=_("%(gate)s for %(title)s: %(verb)s", gate=gate.value,
                                  title=project.title, verb=_(decision_verb(row.decision))))


def _describe_open(project: Project) -> str:
    req = project.open_request if project else None
    if req is None:
        return _("Forespørselen ble endret av noen andre. Last siden på nytt.")
    return _("%(who)s ba om godkjenning av %(gate)s %(when)s. Forespørselen venter allerede på prosjekteier.",
             who=req.requested_by.display_name, gate=req.gate, when=oslo_datetime(req.requested_at))


def _decided_meanwhile(project_id: int, gate: Gate) -> Conflict:
    """The 409 for an owner whose decision lost: what the gate's state is now.

    Read afresh after a rollback: the project and its requests were loaded by separate
    statements, which may straddle the other decision's commit.
    """
    db.session.rollback()
    return Conflict(_describe_latest(db.session.get(Project, project_id), gate))


def _describe_latest(project: Project, gate: Gate) -> str:
    """What was decided on the gate, for the person who lost the race."""
    requests = [r for r in project.gate_requests if r.gate == gate.value] if project else []
    latest_request = requests[-1] if requests else None
    latest = latest_request.final_decision if latest_request else None
    if project is not None and project.stage == "withdrawn":
        return _("Prosjektet er trukket av innsenderen. Det kan ikke lenger tas noen beslutning "
                 "ved %(gate)s.", gate=gate.value)
    if latest is None:
        return _("Det finnes ingen forespørsel som venter på beslutning ved %(gate)s.", gate=gate.value)
    return _("Beslutningen er allerede tatt: %(who)s %(verb)s %(gate)s %(when)s.",
             who=latest.decided_by.display_name, verb=_(decision_verb(latest.decision)),
             gate=gate.value, when=oslo_datetime(latest.decided_at))
