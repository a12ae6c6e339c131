"""Gather the facts the derived checklist items are ticked from.

Facts whose data the application does not hold yet stay None, and their items are left
out of the checklist (see app.workflow.facts). The plan tabs fill in more of them.
"""
from __future__ import annotations

from app.models import Project
from app.workflow import ProjectFacts, is_need_described

#: extra fact providers registered by the plan areas: fn(project) -> dict of facts
FACT_PROVIDERS: list = []


def register_fact_providers(*providers) -> None:
    """Add areas' fact providers to the gate checklists (called from create_app, through
    the plan tabs' own registration). Registering one twice (a second app) adds it once."""
    for provider in providers:
        if provider not in FACT_PROVIDERS:
            FACT_PROVIDERS.append(provider)


def facts_for(project: Project) -> ProjectFacts:
    """The project's facts as the gate checklists read them."""
    benefits_owners = project.members_with("benefits_owner")
    technical = project.members_with("technical_lead")
    facts = dict(
        need_described=is_need_described(project.need),
        has_owner=project.owner_id is not None,
        has_manager=project.manager_id is not None,
        owner_differs_from_manager=(project.owner_id != project.manager_id)
        if project.manager_id is not None else None,
        has_benefits_owner=bool(benefits_owners),
        personal_data=project.personal_data,
        needs_ikt=project.needs_ikt,
        has_technical_lead=bool(technical),
    )
    for provider in FACT_PROVIDERS:
        facts.update(provider(project))
    return ProjectFacts(**facts)
