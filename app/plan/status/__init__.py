"""The status tab (/projects/<id>/status): the prosjektleder's status reports.

A report is written per period (fremdrift, økonomi, kvalitet, risiko and gevinster, each
green / yellow / red with a comment, plus an overall comment), saved as a draft and then
published. Publishing freezes it, together with a snapshot of the top risks and the
milestones as they stood; later edits of the project never change it.

Importing this package registers the routes on the `plan` blueprint; `app.plan.register`
(called by create_app) registers the gate fact `latest_status_report_published` and the
sentences for the history tab.
"""
from app.plan import bp
from app.plan.status import routes  # noqa: F401 - registers the routes
from app.plan.status.queries import (describe_interval_event, describe_status_event, latest_reports_for_owner,
                                     snapshot_date, status_facts)

__all__ = ["describe_interval_event", "describe_status_event", "latest_reports_for_owner", "status_facts"]

# The front page's partial templates/main/_latest_reports.html calls this when the view
# did not pass `latest_reports` itself.
bp.add_app_template_global(latest_reports_for_owner, "latest_reports_for_owner")
bp.add_app_template_filter(snapshot_date, "snapshot_date")
