"""The three decision documents made from the plan, and what each one shows.

- prosjektforslag (project proposal), decided at BP2;
- styringsdokument (steering document), decided at BP3;
- sluttrapport (final report), decided at BP5.

Each holds every section of the municipal plan template (seed 001); the sluttrapport adds
goals reached, lessons learned, handover to the line, and planned against spent. The same
context feeds the live preview (an "Utkast" page) and the PDF frozen at the decision, so
the two can never drift apart. Nothing here depends on who is looking: a frozen document
is the same for everyone allowed to open it.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Milestone, Project
from app.models.benefit import BENEFIT_KINDS
from app.models.risk import ITPOSMO_DIMENSIONS, ITPOSMO_DIMENSION_LIMIT, ITPOSMO_TOTAL_LIMIT, RISK_STRATEGIES
from app.plan.benefits.display import amount as benefit_amount
from app.plan.economy.summary import summary as economy_summary
from app.plan.editing import format_nok, today
from app.plan.plan.queries import GOAL_LABELS, get_plan, goals_of, links_of
from app.plan.roles import ROLES
from app.plan.status.queries import interval_of
from app.plan.tasks.queries import DPIA_LABELS, assessment_for
from app.reminders.periods import REPORT_INTERVALS


@dataclass(frozen=True)
class Document:
    """One decision document: its code, its name, the gate it is decided at."""

    code: str
    title: str
    gate: str
    #: one line under the title: what the owner's decision is about
    purpose: str
    #: the word used in file names ("styringsdokument")
    slug: str


PROPOSAL = Document("proposal", _l("Prosjektforslag"), "BP2", _l(
    "Grunnlag for beslutningen ved BP2: skal prosjektet gå videre til planlegging?"), "prosjektforslag")
STEERING = Document("steering", _l("Styringsdokument"), "BP3", _l(
    "Grunnlag for beslutningen ved BP3: skal prosjektet gjennomføres etter denne planen?"),
    "styringsdokument")
FINAL_REPORT = Document("final_report", _l("Sluttrapport"), "BP5", _l(
    "Grunnlag for beslutningen ved BP5: kan prosjektet avsluttes og gevinstarbeidet overlates "
    "til linjen?"), "sluttrapport")

#: the document decided at each gate that has one
DOCUMENT_FOR_GATE = {d.gate: d for d in (PROPOSAL, STEERING, FINAL_REPORT)}
DOCUMENTS = {d.code: d for d in (PROPOSAL, STEERING, FINAL_REPORT)}


def _members(project: Project) -> dict[str, list]:
    members = {info.code: [m.user for m in project.members if m.role == info.code] for info in ROLES}
    members["owner"] = [project.owner] if project.owner else []
    members["manager"] = [project.manager] if project.manager else []
    return members


def document_context(project: Project, doc: Document) -> dict:
    """Everything a decision document shows, read from the project as it stands now."""
    plan = get_plan(project)
    milestones = db.session.execute(
        db.select(Milestone).where(Milestone.project_id == project.id)
        .order_by(Milestone.due_date, Milestone.number)).scalars().all()
    published = [r for r in project.status_reports if r.status == "published"]
    itposmo = project.itposmo
    return dict(
        project=project, doc=doc, plan=plan, goals=goals_of(project), goal_labels=GOAL_LABELS,
        milestones=milestones, roles=ROLES, members=_members(project),
        # A related project that is restricted is never named in a document: the document
        # is read by everyone who may open this project.
        links=[(link, not link.related_project.restricted and link.related_project.stage != "draft")
               for link in links_of(project)],
        benefits=list(project.benefits), benefit_kinds=BENEFIT_KINDS, benefit_amount=benefit_amount,
        risks=list(project.risks), strategies=RISK_STRATEGIES,
        itposmo=itposmo, itposmo_dimensions=ITPOSMO_DIMENSIONS,
        itposmo_limits=(ITPOSMO_TOTAL_LIMIT, ITPOSMO_DIMENSION_LIMIT),
        stakeholders=list(project.stakeholders), activities=list(project.communication_activities),
        economy=economy_summary(project),
        privacy=assessment_for(project), dpia_labels=DPIA_LABELS,
        report_interval=REPORT_INTERVALS.get(interval_of(project), ""),
        reports=published[:6], latest_report=published[0] if published else None,
        changes=list(project.change_requests),
        format_nok=format_nok, today=today(),
    )
