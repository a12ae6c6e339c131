"""The stakeholders tab (interessentanalyse and kommunikasjonsplan): routes, the gate fact
and history sentences.

Importing the package registers its routes on the `plan` blueprint; `app.plan.register`
(called by create_app) registers the fact `stakeholder_count` with the gate checklists and
its audit sentences.
"""
from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func

from app.extensions import db
from app.models.stakeholder import ACTIVITY_STATUSES, CHANNELS, LEVELS, Stakeholder
from app.plan.stakeholders import routes  # noqa: F401  (registers the routes)
from app.workflow.i18n import N_


def stakeholder_facts(project) -> dict:
    """stakeholder_count: the stakeholders in the analysis (BP3)."""
    count = db.session.execute(
        db.select(func.count(Stakeholder.id)).where(Stakeholder.project_id == project.id)).scalar_one()
    return {"stakeholder_count": count}


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
        return _day(value)
    if field in ("interest", "influence"):
        return _(LEVELS.get(value, str(value))).lower()
    if field == "channel":
        return _(CHANNELS.get(value, value)).lower()
    if field == "status":
        return _(ACTIVITY_STATUSES.get(value, value)).lower()
    return str(value)


def _details(changes: dict) -> str:
    return "; ".join(
        _("%(f)s fra %(a)s til %(b)s", f=_(FIELD_LABELS.get(k, k)), a=_value(k, v[0]), b=_value(k, v[1]))
        if k != "notes" else _(FIELD_LABELS[k]) for k, v in changes.items())


def _day(iso: str | None) -> str:
    """"2026-03-01" → "1. mars 2026" (as stored in the audit data)."""
    try:
        return format_date(date.fromisoformat(iso), "d. MMM yyyy")
    except (TypeError, ValueError):
        return iso or ""


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
        details = _details(d.get("changes") or {})
        return _("%(who)s endret interessenten «%(n)s».", who=who, n=d.get("name", "")) + (
            " " + _("Endret: %(x)s.", x=details) if details else "")
    if action == "stakeholder.deleted":
        return _("%(who)s slettet interessenten «%(n)s».", who=who, n=d.get("name", ""))
    if action == "communication.created":
        return _("%(who)s la til «%(w)s» (%(c)s til %(a)s, %(on)s) i kommunikasjonsplanen.", who=who,
                 w=d.get("what", ""), c=_value("channel", d.get("channel")), a=d.get("audience", ""),
                 on=_day(d.get("planned_on")))
    if action == "communication.updated":
        details = _details(d.get("changes") or {})
        return _("%(who)s endret «%(w)s» i kommunikasjonsplanen.", who=who, w=d.get("what", "")) + (
            " " + _("Endret: %(x)s.", x=details) if details else "")
    if action == "communication.deleted":
        return _("%(who)s slettet «%(w)s» fra kommunikasjonsplanen.", who=who, w=d.get("what", ""))
    return None
