"""The milestones tab, /projects/<id>/milestones: number, description, responsible, due
date and done date; overdue ones stand out; a timeline drawn as SVG on the server
(timeline.py).

Importing the package registers the routes; `app.plan.register` (called by create_app)
registers BP3's fact `milestone_count` and the tab's history sentences.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.plan.milestones import routes  # noqa: F401  (registers the routes)
from app.plan.milestones.queries import milestone_facts  # noqa: F401 - create_app registers it from here

FIELD_LABELS = {"number": _l("nummer"), "description": _l("beskrivelse"),
                "responsible_username": _l("ansvarlig"), "due_date": _l("frist"),
                "done_date": _l("dato nådd"), "gate": _l("beslutningspunkt")}


def describe_milestone_event(event) -> str | None:
    """Norwegian sentences for the milestones tab's audit events."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    n = d.get("number", "")
    if event.action == "milestone.added":
        return _("%(who)s la til milepæl %(n)s «%(t)s».", who=who, n=n, t=d.get("description", ""))
    if event.action == "milestone.updated":
        names = ", ".join(str(FIELD_LABELS.get(f, f)) for f in d.get("fields", []))
        return _("%(who)s endret milepæl %(n)s (%(f)s).", who=who, n=n, f=names)
    if event.action == "milestone.done":
        return _("%(who)s markerte milepæl %(n)s som nådd.", who=who, n=n)
    if event.action == "milestone.deleted":
        return _("%(who)s slettet milepæl %(n)s «%(t)s».", who=who, n=n, t=d.get("description", ""))
    return None
