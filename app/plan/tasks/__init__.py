"""The tasks tab (/projects/<id>/tasks): technical tasks for IKT, and privacy.

Tasks (tilgang, testmiljø, integrasjon, informasjonssikkerhet, drift, annet) are created
by the project's editors; people in the IKT role change their status and assignee; the
project sees the progress. The personvernombud (the personvern role) sets the DPIA status
and comment beside the project's answer on personal data.

Importing this package registers the views on the `plan` blueprint, the gate fact
`dpia_status` and the sentences for the history tab. The query helpers for the later IKT
and privacy queues are in `app.plan.tasks.services` (`tasks_query`, `privacy_query`,
`visible_projects`).
"""
from app.audit.describe import DESCRIBERS
from app.gates.facts import FACT_PROVIDERS
from app.plan.tasks import routes  # noqa: F401 - registers the views
from app.plan.tasks.services import (describe_tasks_event, privacy_query, tasks_facts, tasks_query,
                                     visible_projects)

__all__ = ["privacy_query", "tasks_facts", "tasks_query", "visible_projects"]

if tasks_facts not in FACT_PROVIDERS:
    FACT_PROVIDERS.append(tasks_facts)
if describe_tasks_event not in DESCRIBERS:
    DESCRIBERS.append(describe_tasks_event)
