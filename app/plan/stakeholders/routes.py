"""The stakeholders tab's routes, /projects/<id>/stakeholders: the stakeholder analysis
(with an interest × influence grid) and the communication plan.

Every route loads (the project, then the row with `get_child_or_404`), checks
`Project.can_edit_stakeholders` (the kommunikasjonsansvarlig edits this tab too), calls one
operation (operations.py) and renders (rendering.py). Stakeholders and activities are
table row components whose root owns its id; htmx swaps the row, and the grid out of band
when a stakeholder changes. Without JavaScript every form posts and redirects back. Adding,
showing, editing, saving and deleting a row are app.plan.child_views' routes
(`StakeholderViews`, `ActivityViews`).
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_login import login_required

from app.models.stakeholder import CommunicationActivity, Stakeholder
from app.plan import bp
from app.plan.child_views import ChildViews
from app.plan.common import load_project
from app.plan.stakeholders import forms, operations, rendering


@bp.route("/stakeholders")
@login_required
def stakeholders(project_id: int):
    """The stakeholder analysis and the communication plan."""
    return rendering.page(load_project(project_id))


class StakeholderViews(ChildViews):
    """A stakeholder: a row of the analysis; a saved change redraws the grid. Deleting one
    leaves the activities addressed to them with the name as typed text."""

    tab, rule, noun, model = "plan.stakeholders", "/stakeholders", "stakeholder", Stakeholder
    anchor, can, new_prefix = "stakeholder-{}", "can_edit_stakeholders", "news_"
    forms, operations, components = forms, operations, rendering.STAKEHOLDERS

    def created_message(self, s):
        return _("Interessenten er lagt til.")

    def deleted_message(self, values):
        return _("Interessenten «%(n)s» er slettet.", n=values["name"])


class ActivityViews(StakeholderViews):
    """An activity of the communication plan: a row of its table."""

    rule, noun, model, anchor = "/stakeholders/activities", "activity", CommunicationActivity, "activity-{}"
    new_prefix, components, picker = "newa_", rendering.ACTIVITIES, "responsible_username"

    def created_message(self, a):
        return _("Aktiviteten er lagt til i kommunikasjonsplanen.")

    def deleted_message(self, values):
        return _("Aktiviteten «%(w)s» er slettet.", w=values["what"])


StakeholderViews().register(bp)
ActivityViews().register(bp)
