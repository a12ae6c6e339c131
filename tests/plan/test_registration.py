"""The plan tabs' gate facts and history sentences are registered by create_app through
`app.plan.register`, by name: nothing is added as a side effect of an import, and a
provider or describer that is renamed or moved stops the start-up instead of silently
dropping checklist items or history sentences."""
from __future__ import annotations

import dataclasses

import pytest

import app.plan.milestones.queries
import app.plan.risks
from app import create_app
from app.audit.describe import DESCRIBERS
from app.gates.facts import FACT_PROVIDERS, facts_for
from app.workflow import ProjectFacts
from tests.gates.flow import make_project

#: the facts app.gates.facts.facts_for reads from the project itself; every other field of
#: ProjectFacts comes from a plan tab's provider
CORE_FACTS = {"need_described", "has_owner", "has_manager", "owner_differs_from_manager", "has_benefits_owner",
              "personal_data", "needs_ikt", "has_technical_lead"}


def _second_app(app):
    return create_app(type("SecondApp", (), {k: v for k, v in app.config.items() if k.isupper()}))


def test_every_fact_the_checklists_read_has_a_registered_provider(db, users):
    """A tab whose provider is not registered would leave its derived items out of the
    checklists (a None fact is "not known yet"), so a gate would ask less than it should."""
    project = make_project(users, stage="planning", manager="kari")
    provided = set()
    for provider in FACT_PROVIDERS:
        provided |= set(provider(project))
    assert provided == {f.name for f in dataclasses.fields(ProjectFacts)} - CORE_FACTS
    assert None not in (getattr(facts_for(project), name) for name in provided)


def test_the_tabs_register_once_however_many_apps_run(app):
    facts, describers = list(FACT_PROVIDERS), list(DESCRIBERS)
    _second_app(app)
    assert FACT_PROVIDERS == facts and DESCRIBERS == describers


@pytest.mark.parametrize(("module", "name"), [(app.plan.risks, "risk_facts"),
                                              (app.plan.milestones.queries, "milestone_facts"),
                                              (app.plan.risks, "describe_risks_event")])
def test_a_renamed_provider_or_describer_stops_the_start_up(app, monkeypatch, module, name):
    monkeypatch.delattr(module, name)
    with pytest.raises(ImportError, match=name):
        _second_app(app)
