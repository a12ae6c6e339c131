"""The stakeholders tab (interessentanalyse and kommunikasjonsplan): routes, the gate fact
and history sentences.

Importing the package registers its routes on the `plan` blueprint; `app.plan.register`
(called by create_app) registers the fact `stakeholder_count` with the gate checklists and
its audit sentences.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.audit.describe import audit_day, what_changed
from app.models.stakeholder import ACTIVITY_STATUSES, CHANNELS, LEVELS, Stakeholder
from app.plan.common import count_of
from app.plan.stakeholders import routes  # noqa: F401  (registers the routes)
from app.workflow.i18n import N_


def stakeholder_facts(project) -> dict:
    """stakeholder_count: the stakeholders in the analysis (BP3)."""
    return {"stakeholder_count": count_of(project, Stakeholder)}


FIELD_LABELS = {
    "name": N_("navn"), "interest": N_("interesse"), "influence": N_("påvirkning"),
    "notes": N_("forventninger og merknader"), "what": N_("hva"), "audience": N_("til hvem"),
    "channel": N_("kanal"), "planned_on": N_("dato"), "responsible": N_("ansvarlig"),
    "status": N_("status"),
}


def _value(field: str, value) -> str:
    if value in (None, ""):
        return _("tomt")
    if field == "planned_on":
        return audit_day(value)
    if field in ("interest", "influence"):
        return _(LEVELS.get(value, str(value))).lower()
    if field == "channel":
        return _(CHANNELS.get(value, value)).lower()
    if field == "status":
        return _(ACTIVITY_STATUSES.get(value, value)).lower()
    return str(value)


def _changed(d: dict) -> str:
    return what_changed(d.get("changes") or {}, FIELD_LABELS, _value, named=("notes",))


def describe_stakeholders_event(event) -> str | None:
    """Norwegian sentences for the stakeholders tab's audit events."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    action = event.action
    if action == "stakeholder.created":
        return _("%(who)s la til interessenten «%(n)s» (interesse %(i)s, påvirkning %(p)s).", who=who,
                 n=d.get("name", ""), i=_value("interest", d.get("interest")),
                 p=_value("influence", d.get("influence")))
    if action == "stakeholder.updated":
        return _("%(who)s endret interessenten «%(n)s».", who=who, n=d.get("name", "")) + _changed(d)
    if action == "stakeholder.deleted":
        return _("%(who)s slettet interessenten «%(n)s».", who=who, n=d.get("name", ""))
    if action == "communication.created":
        return _("%(who)s la til «%(w)s» (%(c)s til %(a)s, %(on)s) i kommunikasjonsplanen.", who=who,
                 w=d.get("what", ""), c=_value("channel", d.get("channel")), a=d.get("audience", ""),
                 on=audit_day(d.get("planned_on")))
    if action == "communication.updated":
        return _("%(who)s endret «%(w)s» i kommunikasjonsplanen.", who=who, w=d.get("what", "")) + _changed(d)
    if action == "communication.deleted":
        return _("%(who)s slettet «%(w)s» fra kommunikasjonsplanen.", who=who, w=d.get("what", ""))
    return None
