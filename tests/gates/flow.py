"""Helpers shared by the gate, idea, project and API tests: build projects in the database
and walk the gate flow through the real pages and forms, as a person in a browser would."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.models import AuditEvent, ChecklistAnswer, GateDecision, GateRequest, Notification, Project
from app.models.base import utcnow
from tests.support.factories import csrf_token, login_as, post_form

#: a need long enough to count as "clearly described" (BP1's derived item)
NEED = "Hjemmetjenesten bruker for mye tid på å skrive ut og levere papirlister hver morgen."

#: BP1's questions, answered by the owner in the decision form; the first two must hold,
#: the last two only warn ("anbefalt")
BP1_MUST_HOLD = ("fits_strategy", "is_project")
BP1_RECOMMENDED = ("concept_lead_clarified", "concept_funding_clarified")
#: the owner's answers the decision helper sends with a BP1 approval unless told otherwise
BP1_OWNER_ANSWERS = {"fits_strategy": ("ja", ""), "is_project": ("ja", ""),
                     "concept_lead_clarified": ("nei", "Avklares i starten av konseptfasen."),
                     "concept_funding_clarified": ("nei", "Avklares i starten av konseptfasen.")}
#: BP2's hand-answered items, answered by the prosjektleder before "Be om godkjenning"
BP2_MANUAL = ("proposal_prepared", "alternatives_compared", "benefits_analysed",
              "security_privacy_clarified")


def make_project(users, *, title="Digitale arbeidslister", stage="idea", submitter="ida",
                 owner="ola", manager=None, need=NEED, restricted=False, unit="Helse og omsorg",
                 **fields) -> Project:
    """A project written straight to the database (committed), as if it had come through
    the forms. `owner`, `manager` and `submitter` are keys of the `users` fixture."""
    project = Project(
        title=title, stage=stage, need=need, unit=unit, restricted=restricted,
        submitted_by=users[submitter], owner=users[owner] if owner else None,
        manager=users[manager] if manager else None,
        submitted_at=None if stage == "draft" else utcnow(), **fields)
    db.session.add(project)
    db.session.commit()
    return project


def fresh(model, ident):
    """The row as the database has it now, not as this test's session remembers it."""
    db.session.expire_all()
    return db.session.get(model, ident)


def gate_url(project_or_id, gate="BP1") -> str:
    pid = getattr(project_or_id, "id", project_or_id)
    return f"/projects/{pid}/gates/{gate}"


def checklist_form(html: str) -> dict[str, str]:
    """What the gate page's checklist form sends as it stands: every hand-answered item's
    answer, comment, version and `seen` digest, and the CSRF token (name → value)."""
    from tests.pressure.demo import form_data, forms_of

    for form in forms_of(html):
        if form["method"] == "post" and form["action"].endswith("/checklist"):
            return {name: values[0] for name, values in form_data(form).items()}
    raise AssertionError("no checklist form on the page")


def answer_version(html: str, key: str) -> str:
    """The hidden answer version of the item in the checklist form ("" when unanswered)."""
    return checklist_form(html)[f"answer-{key}-version"]


def answers(client, project, given: dict[str, tuple[str, str]], *, gate="BP1"):
    """Answer hand-answered items through the checklist form on the gate page, as drawn
    for this person, with one "Lagre svarene" (`given`: key → (value, comment)); the other
    items are sent as the page shows them. Without a form on the page (a locked
    checklist, someone who may not answer) the answers are posted as a stale page would."""
    url = gate_url(project, gate)
    html = client.get(url).get_data(as_text=True)
    data = checklist_form(html) if 'action="' + url + '/checklist"' in html else {}
    for key, (value, comment) in given.items():
        data[f"answer-{key}"] = value
        data[f"answer-{key}-comment"] = comment
        data.setdefault(f"answer-{key}-version", "")
    return post_form(client, f"{url}/checklist", data, page=url)


def answer(client, project, key, value="ja", comment="", *, gate="BP1"):
    """Answer one hand-answered item through the checklist form (see `answers`)."""
    return answers(client, project, {key: (value, comment)}, gate=gate)


def concept_project(users, **kw) -> Project:
    """A project in Konsept with kari as prosjektleder, its BP2 facts in place (a
    gevinstansvarlig, the zero alternative, one benefit), so BP2 can be asked for once
    kari has answered the hand-answered items."""
    from app.models import ProjectMember, ProjectPlan
    from app.models.benefit import Benefit

    kw.setdefault("manager", "kari")
    project = make_project(users, stage="concept", **kw)
    db.session.add(ProjectMember(project_id=project.id, user_id=users["randi"].id, role="benefits_owner"))
    db.session.add(ProjectPlan(project_id=project.id, zero_alternative=(
        "Papirlistene beholdes: to timer hver morgen går med til utskrift og levering.")))
    db.session.add(Benefit(project_id=project.id, description="Spart tid hver morgen", kind="quality"))
    db.session.commit()
    return project


def answer_bp2(client, project):
    """Answer BP2's hand-answered items Ja with one save (as kari, the manager) so a
    request is possible."""
    response = answers(client, project, {key: ("ja", "") for key in BP2_MANUAL}, gate="BP2")
    assert response.status_code == 302, response.get_data(as_text=True)


def request_gate(client, project, summary="Vi ber om at ideen utredes i en konseptfase.", *,
                 gate="BP1"):
    """Press "Be om godkjenning" on the gate page."""
    return post_form(client, f"{gate_url(project, gate)}/request", {"summary": summary},
                     page=gate_url(project, gate))


def decision_fields(html: str) -> dict:
    """The hidden request_id and request_version of the decision form on a gate page."""
    found = {}
    for name in ("request_id", "request_version"):
        match = re.search(rf'name="{name}"[^>]*value="(\d+)"', html) or re.search(
            rf'value="(\d+)"[^>]*name="{name}"', html)
        assert match, f"no {name} in the decision form"
        found[name] = match.group(1)
    return found


def decide(client, project, decision, *, gate="BP1", comment="", postpone_until=None,
           confirm_owner=None, manager_username=None, answers=None, **extra):
    """Fill in and send the owner's decision form as it is on the gate page. At BP1 an
    approval carries the owner's answers (`answers`: key → (value, comment), by default
    BP1_OWNER_ANSWERS)."""
    page = client.get(gate_url(project, gate))
    html = page.get_data(as_text=True)
    data = {"decision": decision, "comment": comment, **decision_fields(html)}
    if postpone_until is not None:
        data["postpone_until"] = postpone_until.isoformat()
    if gate == "BP1":
        owner_answers = BP1_OWNER_ANSWERS if answers is None and decision == "approve" else (answers or {})
        for key, (value, note) in owner_answers.items():
            data[f"answer-{key}"] = value
            data[f"answer-{key}-comment"] = note
    if gate == "BP1" and decision == "approve":
        data["confirm_owner"] = "y" if confirm_owner is None or confirm_owner else ""
        data["manager_username"] = manager_username if manager_username is not None else "kari"
    if confirm_owner is False:
        data.pop("confirm_owner", None)
    data.update(extra)
    data["csrf_token"] = csrf_token(client, gate_url(project, gate))
    return client.post(f"{gate_url(project, gate)}/decide", data=data)


def idea_with_pending_bp1(client_ida, users, **kw) -> Project:
    """An idea by ida for ola with BP1 waiting for ola (asked for on the gate page, as
    after a "Send tilbake"; "Send inn" opens the same request, see tests/ideas)."""
    project = make_project(users, **kw)
    response = request_gate(client_ida, project)
    assert response.status_code == 302, response.get_data(as_text=True)
    return project


def requests_of(project_id) -> list[GateRequest]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(GateRequest).where(GateRequest.project_id == project_id)
                                   .order_by(GateRequest.id)))


def decisions_of(project_id) -> list[GateDecision]:
    db.session.expire_all()
    return list(db.session.scalars(
        db.select(GateDecision).join(GateRequest).where(GateRequest.project_id == project_id)
        .order_by(GateDecision.id)))


def notifications_for(user, kind=None) -> list[Notification]:
    db.session.expire_all()
    q = db.select(Notification).where(Notification.user_id == user.id)
    if kind:
        q = q.where(Notification.kind == kind)
    return list(db.session.scalars(q.order_by(Notification.id)))


def audit_actions(project_id) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.project_id == project_id)
                                   .order_by(AuditEvent.id)))


def answers_of(project_id) -> dict[str, tuple[str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(ChecklistAnswer).where(ChecklistAnswer.project_id == project_id))
    return {(r.gate, r.item_key): (r.value, r.comment) for r in rows}


def tomorrow() -> date:
    return date.today() + timedelta(days=1)


class BrowserClient(FlaskClient):
    """A test client whose every request runs in an application context of its own.

    The `db` fixture keeps an app context open for the whole test, and Flask reuses an
    open context for requests: `g` (Flask-Login's cached user, Flask-WTF's CSRF token) and
    the database session would then be shared by every request and every client of the
    test, so a second person would act as the first. A browser never shares those.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture()
def as_user(app, users):
    """`as_user("ola")`: a test client of its own, signed in as that person (one per name,
    so several people can act in one test like several browsers)."""
    clients = {}

    def signed_in(name: str):
        if name not in clients:
            clients[name] = BrowserClient(app, app.response_class, use_cookies=True)
            login_as(clients[name], users[name])
        return clients[name]

    return signed_in


@pytest.fixture()
def count_queries(app):
    """`count_queries(lambda: client.get(url))`: how many SQL statements the request ran
    (the page must answer 200)."""
    from sqlalchemy import event

    def count(call) -> int:
        statements: list[str] = []

        def listener(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            response = call()
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert response.status_code == 200, response.status_code
        return len(statements)

    return count
