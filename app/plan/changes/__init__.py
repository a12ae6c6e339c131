"""The changes tab (/projects/<id>/changes): change requests (endringsanmodninger).

The prosjektleder proposes a change (what, why, and the effect on scope, time, cost and
benefits); the prosjekteier alone approves or rejects it, with a reason when rejecting.
Decided changes are part of the project's record and never change again.

Importing this package registers the routes and the `signed_nok` template filter on the
`plan` blueprint; `app.plan.register` (called by create_app) registers the sentences for
the history tab.
"""
from app.plan import bp
from app.plan.changes import routes  # noqa: F401 - registers the routes
from app.plan.changes.queries import describe_change_event, signed_nok  # noqa: F401 - create_app registers it

bp.add_app_template_filter(signed_nok, "signed_nok")
