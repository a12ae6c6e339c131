"""The economy tab, /projects/<id>/economy: the budget per year (investment and running
costs), the financing with grants, and planned against spent.

Importing the package registers the routes; `app.plan.register` (called by create_app)
registers the tab's history sentences.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.models.economy import FUNDING_KINDS, FUNDING_STATUSES
from app.plan.economy import routes  # noqa: F401  (registers the routes)
from app.plan.editing import format_nok


def _nok(value) -> str:
    return format_nok(value) if value is not None else _("ukjent beløp")


def describe_economy_event(event) -> str | None:
    """Norwegian sentences for the economy tab's audit events."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    a = event.action
    if a in ("economy.line_added", "economy.line_updated"):
        verb = _("la inn") if a == "economy.line_added" else _("endret")
        return _("%(who)s %(v)s budsjettet for %(y)s: investering %(i)s, drift %(o)s.", who=who, v=verb,
                 y=d.get("year", ""), i=_nok(d.get("investment")), o=_nok(d.get("operating")))
    if a == "economy.line_deleted":
        return _("%(who)s slettet budsjettet for %(y)s.", who=who, y=d.get("year", ""))
    if a in ("economy.source_added", "economy.source_updated"):
        verb = _("la til") if a == "economy.source_added" else _("endret")
        return _("%(who)s %(v)s finansieringen «%(s)s» (%(k)s, %(amount)s, %(st)s).", who=who, v=verb,
                 s=d.get("source", ""), k=_(FUNDING_KINDS.get(d.get("kind"), d.get("kind", ""))).lower(),
                 amount=_nok(d.get("amount")), st=_(FUNDING_STATUSES.get(d.get("status"), d.get("status", ""))).lower())
    if a == "economy.source_deleted":
        return _("%(who)s fjernet finansieringen «%(s)s».", who=who, s=d.get("source", ""))
    return None
