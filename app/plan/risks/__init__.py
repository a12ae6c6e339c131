"""The risks tab (usikkerhet): routes, the gate fact and history sentences.

Importing the package registers its routes on the `plan` blueprint; `app.plan.register`
(called by create_app) registers the fact `assessed_risk_count` with the gate checklists
and its audit sentences.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.audit.describe import what_changed
from app.models.risk import ITPOSMO_DIMENSIONS, RISK_KINDS, RISK_STATUSES, RISK_STRATEGIES, Risk
from app.plan.common import count_of
from app.plan.risks import routes  # noqa: F401  (registers the routes)
from app.workflow.i18n import N_


def risk_facts(project) -> dict:
    """assessed_risk_count: risks (not opportunities) with probability, consequence and a
    strategy — what BP3's "risk analysis done" counts."""
    return {"assessed_risk_count": count_of(project, Risk, Risk.kind == "risk", Risk.probability.is_not(None),
                                            Risk.consequence.is_not(None), Risk.strategy != "")}


#: the risk's fields as the history names them
FIELD_LABELS = {
    "description": N_("beskrivelse"), "kind": N_("type"), "probability": N_("sannsynlighet"),
    "consequence": N_("konsekvens"), "score": N_("skår"), "strategy": N_("strategi"),
    "risk_action": N_("tiltak"), "responsible": N_("ansvarlig"), "status": N_("status"),
    "probability_after": N_("sannsynlighet etter tiltak"),
    "consequence_after": N_("konsekvens etter tiltak"),
    "after_comment": N_("kommentar til vurderingen etter tiltak"),
}


def _value(field: str, value) -> str:
    if value in (None, ""):
        return _("tomt")
    labels = {"kind": RISK_KINDS, "strategy": RISK_STRATEGIES, "status": RISK_STATUSES}.get(field)
    return _(labels.get(value, value)).lower() if labels else str(value)


def _noun(kind: str | None) -> str:
    return _("muligheten") if kind == "opportunity" else _("risikoen")


def describe_risks_event(event) -> str | None:
    """Norwegian sentences for the risks tab's audit events."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    action = event.action
    # every sentence about one risk names who, "risikoen" or "muligheten", and its description
    risk = dict(who=who, n=_noun(d.get("kind")), d=d.get("description", ""))
    if action == "risk.created":
        return _("%(who)s la til %(n)s «%(d)s» (sannsynlighet %(p)s, konsekvens %(c)s, skår %(s)s).", **risk,
                 p=d.get("probability", ""), c=d.get("consequence", ""), s=d.get("score", ""))
    if action == "risk.updated":
        text = _("%(who)s endret %(n)s «%(d)s».", **risk)
        return text + what_changed(d.get("changes") or {}, FIELD_LABELS, _value, named=("description", "risk_action"))
    if action == "risk.deleted":
        return _("%(who)s slettet %(n)s «%(d)s».", **risk)
    if action == "itposmo.saved":
        text = _("%(who)s oppdaterte ITPOSMO-vurderingen: sum %(t)s av 70.", who=who, t=d.get("total", ""))
        before, after = d.get("before") or {}, d.get("scores") or {}
        moved = [_("%(n)s %(a)s → %(b)s", n=_(ITPOSMO_DIMENSIONS[k][0]), a=before[k], b=after[k])
                 for k in ITPOSMO_DIMENSIONS if k in before and k in after and before[k] != after[k]]
        if moved:
            text += " " + ", ".join(moved) + "."
        return text
    return None
