"""Demo data for `make run`: the demo directory's staff and about 20 projects in every
stage, with the decisions that brought them there. Loaded once; a second run changes
nothing."""
from __future__ import annotations

from datetime import timedelta

from app.audit import record
from app.auth.services import sync_user
from app.demo.projects import DRAFTS, PROJECTS
from app.directory import get_directory
from app.directory.demo import load_demo_entries
from app.extensions import db
from app.models import AuditEvent, ChecklistAnswer, GateDecision, GateRequest, Project, User
from app.models.base import utcnow
from app.people.owners import require_eligible_owner
from app.workflow import Answer, Gate, decision_items, evaluate, request_items

VERBS = {"approve": "approved", "reject": "rejected", "return": "returned", "postpone": "postponed"}


def load() -> bool:
    """Load the demo data unless it is there already. Returns True when it loaded."""
    if db.session.execute(db.select(AuditEvent.id).where(AuditEvent.action == "demo.load")).first():
        return False
    users = _load_people()
    for spec in PROJECTS:
        _make_project(spec, users)
    for author, title, need in DRAFTS:
        leader = users.get(users[author].leader_username or "")
        if leader is not None:
            require_eligible_owner(leader)  # their own leader: a leader by definition
        db.session.add(Project(title=title, need=need, stage="draft", submitted_by=users[author],
                               owner=leader, unit=users[author].unit))
    db.session.flush()
    from app.demo.extras import fill_plans  # the plan tabs, where those tables exist

    fill_plans(users)
    from app.demo.economy import freeze_past_decisions

    freeze_past_decisions()  # last: the documents show the projects as the demo left them
    record("demo.load", actor_name="Faseport")
    db.session.commit()  # CLI: no request, so this command is its own transaction
    return True


def _load_people() -> dict[str, User]:
    directory = get_directory()
    users = {}
    for _dn, attrs in load_demo_entries():
        uid = (attrs.get("uid") or [None])[0]
        if not uid:
            continue
        person = directory.find_person(uid)
        if person is not None:
            users[uid] = sync_user(person)
    db.session.flush()
    return users


def _make_project(spec: dict, users: dict[str, User]) -> Project:
    # The same rule as every other path: a demo owner is a leader (or in the owner group).
    require_eligible_owner(users[spec["owner"]])
    now = utcnow()
    start = now - timedelta(days=spec["days"])
    p = Project(title=spec["title"], unit=spec["unit"], stage=spec["stage"],
                need=spec["need"], proposed_solution=spec["solution"], expected_benefits=spec["benefits"],
                affected=spec["affected"], personal_data=spec["personal_data"], needs_ikt=spec["needs_ikt"],
                submitted_by=users[spec["submitter"]], owner=users[spec["owner"]],
                manager=users.get(spec.get("manager", "")), restricted=spec.get("restricted", False),
                created_at=start, submitted_at=start, updated_at=start)
    db.session.add(p)
    db.session.flush()
    _event(p, "idea.submitted", users[spec["submitter"]], start, title=p.title, owner=spec["owner"])
    gates = spec.get("gates", [])
    step = timedelta(days=max(spec["days"] // (len(gates) + 1), 1)) if gates else None
    when = start
    postponed_req = None
    for gate_code, decision, comment in gates:
        gate = Gate(gate_code)
        # Sending the idea in is the request for BP1: it is asked for the moment it is sent.
        when = when if (gate is Gate.BP1 and when == start) else when + step
        requester = users[spec["submitter"]] if gate is Gate.BP1 else (p.manager or p.owner)
        if postponed_req is not None and postponed_req.gate == gate_code:
            req, postponed_req = postponed_req, None  # the owner decides the postponed request
        else:
            _answer_all(p, gate, request_items(gate), requester, when)
            # BP1 is requested by sending the idea in (no summary: the idea is the request).
            summary = "" if gate is Gate.BP1 else f"Vi ber om godkjenning av {gate_code} for «{p.title}»."
            req = GateRequest(project=p, gate=gate_code, requested_by=requester, requested_at=when,
                              summary=summary, checklist_snapshot=_snapshot(p, gate), status="pending")
            db.session.add(req)
            db.session.flush()
            _event(p, "gate.requested", requester, when, gate=gate_code, summary=req.summary)
        if decision is None:
            continue
        decided_at = when + timedelta(days=2)
        _answer_all(p, gate, decision_items(gate), p.owner, decided_at)  # the owner's questions
        postponed = (decided_at + timedelta(days=14)).date() if decision == "postpone" else None
        req.status = VERBS[decision]
        req.postponed_until = postponed
        if decision == "postpone":
            postponed_req = req
        row = GateDecision(request=req, decision=decision, decided_by=p.owner, decided_at=decided_at,
                           comment=comment, postponed_until=postponed, checklist_snapshot=_snapshot(p, gate))
        db.session.add(row)
        db.session.flush()
        # As a real decision records it: about the decision row (the history links its PDFs).
        _event(p, "gate.decided", p.owner, decided_at, obj=row, gate=gate_code, decision=decision,
               comment=comment, postponed_until=postponed.isoformat() if postponed else None)
        when = decided_at
        if gate is Gate.BP1 and decision == "approve":
            p.owner_confirmed_at = decided_at
    if spec.get("withdrawn"):
        _event(p, "project.withdrawn", p.submitted_by, now - timedelta(days=3),
               comment="Løses heller gjennom den nye økonomiløsningen.")
    return p


def _answer_all(project: Project, gate: Gate, items, who: User, when) -> None:
    for item in items:
        exists = db.session.execute(db.select(ChecklistAnswer.id).where(
            ChecklistAnswer.project_id == project.id, ChecklistAnswer.gate == gate.value,
            ChecklistAnswer.item_key == item.key)).first()
        if not exists:
            db.session.add(ChecklistAnswer(project_id=project.id, gate=gate.value, item_key=item.key,
                                           value="ja", comment="", answered_by=who, answered_at=when))
    db.session.flush()


def _snapshot(project: Project, gate: Gate) -> list:
    from app.gates.facts import facts_for

    answers = {a.item_key: Answer(a.value, a.comment) for a in db.session.execute(
        db.select(ChecklistAnswer).where(ChecklistAnswer.project_id == project.id,
                                         ChecklistAnswer.gate == gate.value)).scalars()}
    return evaluate(gate, facts_for(project), answers).snapshot()


def _event(project: Project, action: str, actor: User, at, obj=None, **data) -> None:
    obj = obj if obj is not None else project
    db.session.add(AuditEvent(action=action, actor=actor, actor_name=actor.display_name, at=at,
                              object_type=type(obj).__name__.lower(), object_id=obj.id, project_id=project.id,
                              data=data))
