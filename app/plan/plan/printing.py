"""The two printable documents made from the plan (A4, print CSS):

- the prosjektforslag (project proposal) the owner approves at BP2, and
- the styringsdokument (steering document) the owner approves at BP3,

each with the owner's decision on it when there is one.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Milestone, Project
from app.models.base import utcnow
from app.plan import bp
from app.plan.common import load_project
from app.plan.editing import format_nok, today
from app.plan.plan.services import GOAL_LABELS, get_plan, goals_of, links_of
from app.plan.roles import ROLES


@dataclass(frozen=True)
class Document:
    """One printable document: what it is called and at which gate it is decided."""

    code: str
    title: str
    gate: str
    #: one line under the title: what the owner's signature means
    purpose: str


PROPOSAL = Document("proposal", _l("Prosjektforslag"), "BP2", _l(
    "Grunnlag for beslutningen ved BP2: skal prosjektet gå videre til planlegging?"))
STEERING = Document("steering", _l("Styringsdokument"), "BP3", _l(
    "Grunnlag for beslutningen ved BP3: skal prosjektet gjennomføres etter denne planen?"))


@dataclass(frozen=True)
class DecisionInfo:
    """Where the document stands at its gate."""

    #: "decided" (with `decision`), "pending" (asked, not decided) or "none"
    state: str
    request: object | None = None
    decision: object | None = None
    #: the plan changed after the decision: the printout is not what was approved
    changed_since: bool = False


def decision_for(project: Project, gate: str, plan) -> DecisionInfo:
    """The latest request at `gate`: decided (approved, rejected, returned) or still open."""
    requests = [r for r in project.gate_requests if r.gate == gate]
    if not requests:
        return DecisionInfo("none")
    latest = requests[-1]
    if latest.is_open:
        return DecisionInfo("pending", latest)
    if latest.final_decision is None:  # withdrawn before the owner decided
        return DecisionInfo("none")
    decision = latest.final_decision
    changed = plan is not None and plan.updated_at is not None and plan.updated_at > decision.decided_at
    return DecisionInfo("decided", latest, decision, changed)


def _context(project: Project, doc: Document) -> dict:
    plan = get_plan(project)
    milestones = db.session.execute(
        db.select(Milestone).where(Milestone.project_id == project.id)
        .order_by(Milestone.due_date, Milestone.number)
    ).scalars().all()
    members = {info.code: [m.user for m in project.members if m.role == info.code] for info in ROLES}
    members["owner"] = [project.owner] if project.owner else []
    members["manager"] = [project.manager] if project.manager else []
    links = [(link, link.related_project.can_view(current_user)) for link in links_of(project)]
    return dict(
        project=project, doc=doc, plan=plan, goals=goals_of(project), goal_labels=GOAL_LABELS,
        milestones=milestones, roles=ROLES, members=members, links=links,
        decision=decision_for(project, doc.gate, plan), printed_at=utcnow(), today=today(),
        format_nok=format_nok,
    )


@bp.route("/plan/prosjektforslag")
@login_required
def print_proposal(project_id: int):
    """The prosjektforslag, for printing or saving as PDF."""
    project = load_project(project_id)
    return render_template("plan/plan_print.html", **_context(project, PROPOSAL))


@bp.route("/plan/styringsdokument")
@login_required
def print_steering_document(project_id: int):
    """The styringsdokument, for printing or saving as PDF."""
    project = load_project(project_id)
    return render_template("plan/plan_print.html", **_context(project, STEERING))
