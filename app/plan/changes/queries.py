"""Reading change requests: the list, the summary line, what was decided, cost effects
as text and the history sentences."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.models import Project
from app.models.change_request import ChangeRequest
from app.plan.common import children_of
from app.plan.editing import format_nok

#: status labels (Foreslått, Godkjent, Avvist)
STATUS_LABELS = {"proposed": _l("Foreslått"), "approved": _l("Godkjent"), "rejected": _l("Avvist")}


def changes_for(project: Project) -> list[ChangeRequest]:
    """The project's change requests, newest first, with their people loaded."""
    return children_of(project, ChangeRequest, ChangeRequest.proposed_at.desc(), ChangeRequest.id.desc(),
                       options=[joinedload(ChangeRequest.proposed_by), joinedload(ChangeRequest.decided_by)])


def summary(changes: list[ChangeRequest]) -> dict:
    """Counts per status and the approved changes' total effect on cost."""
    counts = {code: 0 for code in STATUS_LABELS}
    for c in changes:
        counts[c.status] = counts.get(c.status, 0) + 1
    approved_cost = sum(c.cost_effect or 0 for c in changes if c.status == "approved")
    return {"counts": counts, "approved_cost": approved_cost, "total": len(changes)}


def describe_decided(change: ChangeRequest) -> str:
    """What was decided, for the person whose decision or edit came too late."""
    from app.templating import oslo_datetime

    if change.is_open:
        return _("Endringsforslaget ble endret mens du leste det. Les det på nytt før du "
                 "bestemmer deg.")
    return _("Endringen er allerede %(what)s av %(who)s %(when)s.",
             what=str(STATUS_LABELS[change.status]).lower(),
             who=change.decided_by.display_name if change.decided_by else _("prosjekteier"),
             when=oslo_datetime(change.decided_at))


def signed_nok(value: int | None) -> str:
    """+150 000 kr / −20 000 kr (template filter for cost effects)."""
    if value is None:
        return ""
    if value == 0:
        return "0\u00a0kr"
    return ("+" if value > 0 else "\u2212") + format_nok(abs(value))


def describe_change_event(event) -> str | None:
    """Norwegian sentences for the change requests' audit events."""
    if not event.action.startswith("change_request."):
        return None
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    title = d.get("title", "")
    verb = event.action.split(".", 1)[1]
    if verb == "proposed":
        text = _("%(who)s foreslo endringen «%(t)s».", who=who, t=title)
        if d.get("cost_effect") not in (None, 0):
            text += " " + _("Virkning på kostnad: %(c)s.", c=signed_nok(d["cost_effect"]))
        return text
    if verb == "updated":
        return _("%(who)s endret endringsforslaget «%(t)s».", who=who, t=title)
    if verb == "deleted":
        return _("%(who)s trakk tilbake endringsforslaget «%(t)s».", who=who, t=title)
    if verb in ("approved", "rejected"):
        text = (_("%(who)s godkjente endringen «%(t)s».", who=who, t=title) if verb == "approved"
                else _("%(who)s avviste endringen «%(t)s».", who=who, t=title))
        if d.get("comment"):
            text += " " + _("Begrunnelse: «%(c)s»", c=d["comment"])
        return text
    return None
