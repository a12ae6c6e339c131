"""The project plan and its follow-up: one tab per part, under /projects/<id>/….

Every tab is a package here with the same shape (DEVELOPERS.md walks through `risks/`):
`routes.py` registers its views on this blueprint (endpoints `plan.<name>`, which the gate
checklists link to), `forms.py`, `operations.py` (the state changes and their audit
events) and its templates in `templates/plan/<tab>/`.
"""
from flask import Blueprint

bp = Blueprint("plan", __name__, url_prefix="/projects/<int:project_id>")

# The tabs, in the order of the project's tab bar. Plain imports: a missing or misnamed
# tab fails at start-up instead of silently disappearing.
from app.plan import roles  # noqa: E402,F401
from app.plan import plan  # noqa: E402,F401
from app.plan import milestones  # noqa: E402,F401
from app.plan import economy  # noqa: E402,F401
from app.plan import benefits  # noqa: E402,F401
from app.plan import risks  # noqa: E402,F401
from app.plan import stakeholders  # noqa: E402,F401
from app.plan import status  # noqa: E402,F401
from app.plan import changes  # noqa: E402,F401
from app.plan import tasks  # noqa: E402,F401


def register() -> None:
    """The tabs' gate facts and history sentences, imported by name (create_app calls
    this): a provider or describer that is renamed or moved fails at start-up instead of
    silently leaving its checklist items or history sentences out. In the order of the tab
    bar; registering twice (a second app in the process) adds nothing."""
    from app.audit.describe import register_describers
    from app.gates.facts import register_fact_providers
    from app.plan.benefits import describe_benefits_event
    from app.plan.benefits.queries import benefit_facts
    from app.plan.changes.queries import describe_change_event
    from app.plan.economy import describe_economy_event
    from app.plan.milestones import describe_milestone_event
    from app.plan.milestones.queries import milestone_facts
    from app.plan.plan.queries import describe_plan_event, plan_facts
    from app.plan.risks import describe_risks_event, risk_facts
    from app.plan.roles import describe_roles_event
    from app.plan.stakeholders import describe_stakeholders_event, stakeholder_facts
    from app.plan.status.queries import describe_interval_event, describe_status_event, status_facts
    from app.plan.tasks.queries import describe_tasks_event, tasks_facts

    register_fact_providers(plan_facts, milestone_facts, benefit_facts, risk_facts, stakeholder_facts,
                            status_facts, tasks_facts)
    register_describers(describe_roles_event, describe_plan_event, describe_milestone_event,
                        describe_economy_event, describe_benefits_event, describe_risks_event,
                        describe_stakeholders_event, describe_status_event, describe_interval_event,
                        describe_change_event, describe_tasks_event)
