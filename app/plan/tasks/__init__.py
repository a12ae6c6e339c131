"""The tasks tab (/projects/<id>/tasks): technical tasks for IKT, and privacy.

Tasks (tilgang, testmiljø, integrasjon, informasjonssikkerhet, drift, annet) are created
by the project's editors; people in the IKT role change their status and assignee; the
project sees the progress. The personvernombud (the personvern role) sets the DPIA status
and comment beside the project's answer on personal data.

Importing this package registers the views on the `plan` blueprint; `app.plan.register`
(called by create_app) registers the gate fact `dpia_status` and the sentences for the
history tab. The tasks query (`tasks_query`) is
in `app.plan.tasks.queries`; the IKT and privacy queues' own queries are in
`app/ikt/queries.py` and `app/privacy/queries.py`.
"""
from app.plan.tasks import routes  # noqa: F401 - registers the routes
from app.plan.tasks.queries import describe_tasks_event, tasks_facts, tasks_query

__all__ = ["describe_tasks_event", "tasks_facts", "tasks_query"]
