"""Reading and writing the project plan; the facts it gives the gate checklists."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import PlanGoal, PlanLink, Project, ProjectPlan
from app.workflow import MIN_NEED_LENGTH

#: fewest characters (after trimming) for the zero alternative to count as described; the
#: same bar as the idea's need
MIN_ZERO_ALTERNATIVE_LENGTH = MIN_NEED_LENGTH

#: goal kinds with their Norwegian names (singular, plural) and what they answer
GOAL_LABELS = {
    "effect": (_l("effektmål"), _l("Effektmål"),
               _l("Hvorfor: den positive virkningen prosjektet skal gi for brukere, innbyggere "
                  "eller kommunen. Effektmålene er gevinstene.")),
    "result": (_l("resultatmål"), _l("Resultatmål"),
               _l("Hva: det prosjektet konkret skal levere i løpet av prosjektperioden.")),
}


@dataclass(frozen=True)
class Section:
    """A part of the plan that is edited as one form."""

    code: str
    title: str
    #: the ProjectPlan columns it holds, in order
    fields: tuple[str, ...]


#: the plan's sections, in the order of the municipal template
SECTIONS: dict[str, Section] = {s.code: s for s in (
    Section("background", _l("Bakgrunn og dagens situasjon"),
            ("background", "current_situation", "zero_alternative")),
    Section("purpose", _l("Formål"), ("purpose",)),
    Section("scope", _l("Avgrensninger og grensesnitt"), ("scope_limits", "interfaces")),
    Section("alternatives", _l("Alternativer som er vurdert"), ("alternatives",)),
    Section("involvement", _l("Brukermedvirkning og referansegruppe"), ("user_involvement",)),
    Section("reporting", _l("Oppfølging og rapportering"), ("reporting",)),
    Section("change_control", _l("Endringsstyring"), ("change_control",)),
    Section("frame", _l("Tid, finansiering og arkiv"),
            ("start_date", "end_date", "financing", "archive_ref")),
    Section("closing", _l("Sluttrapport"), ("goals_reached", "lessons_learned", "handover")),
)}

#: sections written only when the project closes (shown from the handover stage on)
CLOSING_SECTIONS = ("closing",)
#: stages in which the sluttrapport's sections are shown on the plan tab
CLOSING_STAGES = ("handover", "realisation", "completed")

#: every plan column's Norwegian name (for the history and the conflict message)
FIELD_LABELS = {
    "background": _l("Bakgrunn"),
    "current_situation": _l("Dagens situasjon og utfordringer"),
    "zero_alternative": _l("Nullalternativet"),
    "purpose": _l("Formål"),
    "scope_limits": _l("Avgrensninger"),
    "interfaces": _l("Grensesnitt mot annet arbeid"),
    "user_involvement": _l("Brukermedvirkning og referansegruppe"),
    "start_date": _l("Startdato"),
    "end_date": _l("Sluttdato"),
    "budget_nok": _l("Budsjett"),
    "financing": _l("Finansiering"),
    "archive_ref": _l("Arkivreferanse"),
    "alternatives": _l("Alternativer som er vurdert"),
    "reporting": _l("Oppfølging og rapportering"),
    "change_control": _l("Endringsstyring"),
    "goals_reached": _l("Måloppnåelse"),
    "lessons_learned": _l("Erfaringer"),
    "handover": _l("Overlevering til linjen"),
}


def get_plan(project: Project) -> ProjectPlan | None:
    """The project's plan texts, or None before the first save."""
    return db.session.execute(
        db.select(ProjectPlan).where(ProjectPlan.project_id == project.id)
    ).scalar_one_or_none()


def get_or_add_plan(project: Project) -> ProjectPlan:
    plan = get_plan(project)
    if plan is None:
        plan = ProjectPlan(project_id=project.id)
        db.session.add(plan)
    return plan


def goals_of(project: Project) -> dict[str, list[PlanGoal]]:
    """The effektmål and resultatmål, each in their order."""
    rows = db.session.execute(
        db.select(PlanGoal).where(PlanGoal.project_id == project.id)
        .order_by(PlanGoal.position, PlanGoal.id)
    ).scalars().all()
    return {kind: [g for g in rows if g.kind == kind] for kind in GOAL_LABELS}


def links_of(project: Project) -> list[PlanLink]:
    return db.session.execute(
        db.select(PlanLink).where(PlanLink.project_id == project.id).order_by(PlanLink.id)
    ).scalars().all()


def linked_from(project: Project) -> list[PlanLink]:
    """Links other projects made to this one."""
    return db.session.execute(
        db.select(PlanLink).where(PlanLink.related_project_id == project.id).order_by(PlanLink.id)
    ).scalars().all()


def is_zero_alternative_described(plan: ProjectPlan | None) -> bool:
    return plan is not None and len((plan.zero_alternative or "").strip()) >= MIN_ZERO_ALTERNATIVE_LENGTH


_HAS_MEASURE = re.compile(r"\d|prosent|andel|innen|halvering|dobl", re.IGNORECASE)


def smart_hint(text: str) -> str | None:
    """A nudge towards a SMART goal, when the text has neither a number nor a deadline."""
    if _HAS_MEASURE.search(text or ""):
        return None
    return _("Tips: Målet har verken tall eller frist. Et SMART mål er målbart og tidsavgrenset, "
             "for eksempel «Ventetiden er under 14 dager innen 1. juni 2026».")


# --- gate facts --------------------------------------------------------------------------
def plan_facts(project: Project) -> dict:
    """The plan's facts for the gate checklists (BP2: the zero alternative is described)."""
    return {"zero_alternative_described": is_zero_alternative_described(get_plan(project))}


# --- the history tab ----------------------------------------------------------------------
def describe_plan_event(event) -> str | None:
    """Norwegian sentences for the plan tab's audit events."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    action = event.action
    if action == "plan.section_saved":
        section = SECTIONS.get(d.get("section", ""))
        names = ", ".join(str(FIELD_LABELS.get(f, f)).lower() for f in d.get("fields", []))
        title = str(section.title) if section else d.get("section", "")
        if names:
            return _("%(who)s endret «%(s)s» i planen (%(f)s).", who=who, s=title, f=names)
        return _("%(who)s lagret «%(s)s» i planen uten endringer.", who=who, s=title)
    if action in ("plan.goal_added", "plan.goal_updated", "plan.goal_deleted"):
        kind = GOAL_LABELS.get(d.get("kind", ""), ("mål",))[0]
        verb = {"plan.goal_added": _("la til"), "plan.goal_updated": _("endret"),
                "plan.goal_deleted": _("slettet")}[action]
        return _("%(who)s %(v)s %(k)s «%(t)s».", who=who, v=verb, k=kind, t=d.get("text", ""))
    if action == "plan.link_added":
        return _("%(who)s lenket planen til prosjekt nr. %(n)s.", who=who, n=d.get("related_id", ""))
    if action == "plan.link_removed":
        return _("%(who)s fjernet lenken til prosjekt nr. %(n)s.", who=who, n=d.get("related_id", ""))
    return None
