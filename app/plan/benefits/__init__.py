"""The benefits tab (gevinstrealiseringsplan): routes, gate facts and history sentences.

Importing the package registers its routes on the `plan` blueprint; `app.plan.register`
(called by create_app) registers its facts with the gate checklists (benefit_count,
benefits_measurable, has_benefit_measurements, benefits_plan_reviewed,
benefits_agreement_acknowledged) and its audit sentences.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.audit.describe import audit_day, what_changed
from app.models.benefit import BENEFIT_KINDS
from app.plan.benefits import routes  # noqa: F401  (registers the routes)
from app.plan.benefits.queries import benefit_facts  # noqa: F401 - create_app registers it from here
from app.workflow.i18n import N_

#: the benefit's fields as the history names them
FIELD_LABELS = {
    "description": N_("beskrivelse"), "kind": N_("type"), "indicator": N_("måleindikator"),
    "unit": N_("måleenhet"), "baseline": N_("nullpunkt"), "baseline_measured_on": N_("dato for nullpunkt"),
    "target": N_("målverdi"), "due_on": N_("frist for målet"), "owner": N_("gevinstansvarlig"),
    "measures": N_("tiltak"), "schedule": N_("måleplan"),
}


def _value(field: str, value) -> str:
    if field in ("baseline_measured_on", "due_on") and value:
        return audit_day(value)
    if field == "kind":
        return _(BENEFIT_KINDS.get(value, value or ""))
    return str(value) if value not in (None, "") else _("tomt")


def describe_benefits_event(event) -> str | None:
    """Norwegian sentences for the benefits tab's audit events."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    action = event.action
    if action == "benefit.created":
        return _("%(who)s la til gevinsten «%(d)s».", who=who, d=d.get("description", ""))
    if action == "benefit.updated":
        return _("%(who)s endret gevinsten «%(d)s».", who=who, d=d.get("description", "")) + what_changed(
            d.get("changes") or {}, FIELD_LABELS, _value, named=("description", "measures"))
    if action == "benefit.deleted":
        return _("%(who)s slettet gevinsten «%(d)s».", who=who, d=d.get("description", ""))
    if action == "benefit.measured":
        text = _("%(who)s registrerte en måling for «%(d)s»: %(v)s (%(on)s).", who=who,
                 d=d.get("description", ""), v=d.get("value", ""), on=audit_day(d.get("measured_on")))
        return text + (" " + _("Kommentar: «%(c)s»", c=d["comment"]) if d.get("comment") else "")
    if action == "benefit.measurement_deleted":
        return _("%(who)s slettet målingen %(v)s (%(on)s) for «%(d)s».", who=who, v=d.get("value", ""),
                 on=audit_day(d.get("measured_on")), d=d.get("description", ""))
    if action == "benefits.reviewed":
        return _("%(who)s markerte gevinstrealiseringsplanen (versjon %(v)s) som gjennomgått.", who=who,
                 v=d.get("plan_version", ""))
    if action == "benefits.agreement_acknowledged":
        return _("%(who)s kvitterte ut gevinstavtalen (versjon %(v)s av gevinstrealiseringsplanen).", who=who,
                 v=d.get("plan_version", ""))
    return None
