"""The audit log in plain Norwegian, for a project's history tab."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from app.models import AuditEvent
from app.workflow import decision_verb, items_for
from app.workflow.i18n import N_

ANSWERS = {"ja": N_("Ja"), "nei": N_("Nei"), "ikke_relevant": N_("Ikke relevant")}


def describe(event: AuditEvent) -> str:
    """One sentence: "Ola Nordmann godkjente BP2." and so on."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    action = event.action
    if action == "gate.decided":
        text = _("%(who)s %(verb)s %(gate)s.", who=who, verb=_(decision_verb(d.get("decision"))),
                 gate=d.get("gate"))
        if d.get("postponed_until"):
            text += " " + _("Utsatt til %(d)s.", d=_date(d["postponed_until"]))
        if d.get("manager"):
            text += " " + _("Prosjektleder for konseptarbeidet: %(m)s.",
                            m=d.get("manager_name") or d["manager"])
        if d.get("comment"):
            text += " " + _("Begrunnelse: «%(c)s»", c=d["comment"])
        return text
    if action == "gate.requested":
        if not d.get("summary"):  # BP1: sending the idea in was the request
            return _("%(who)s ba om beslutning ved %(gate)s.", who=who, gate=d.get("gate"))
        return _("%(who)s ba om godkjenning av %(gate)s: «%(s)s»", who=who, gate=d.get("gate"), s=d.get("summary", ""))
    if action == "gate.checklist_answered":
        text = _("%(who)s svarte «%(v)s» på «%(item)s» i sjekklisten for %(gate)s.", who=who,
                 v=_(ANSWERS.get(d.get("value"), d.get("value", ""))),
                 item=_item_text(d.get("gate"), d.get("item")), gate=d.get("gate"))
        return text + (" " + _("Kommentar: «%(c)s»", c=d["comment"]) if d.get("comment") else "")
    if action == "idea.submitted":
        return _("%(who)s sendte inn ideen «%(t)s».", who=who, t=d.get("title", ""))
    if action in ("idea.draft_created", "idea.draft_saved"):
        return _("%(who)s lagret kladden.", who=who)
    if action == "idea.updated":
        return _("%(who)s endret beskrivelsen av ideen.", who=who)
    if action == "project.withdrawn":
        return _("%(who)s trakk prosjektet.", who=who) + (
            " " + _("Begrunnelse: «%(c)s»", c=d["comment"]) if d.get("comment") else "")
    if action == "project.owner_transferred":
        return _("%(who)s overførte prosjekteierrollen fra %(a)s til %(b)s.", who=who,
                 a=d.get("from_name", "–"), b=d.get("to_name", ""))
    if action == "project.demo":
        return _("Demodata: %(t)s", t=d.get("text", ""))
    # Areas register their own sentences; anything unknown still shows, plainly.
    for describer in DESCRIBERS:
        text = describer(event)
        if text:
            return text
    return _("%(who)s: %(a)s", who=who, a=action)


#: extra describers of the other areas, fn(event) -> str | None, in the order registered
DESCRIBERS: list = []


def audit_day(iso: str | None) -> str:
    """"2026-03-01" → "1. mars 2026" (a date as the audit data stores it); anything else as
    it is."""
    from flask_babel import format_date

    try:
        return format_date(date.fromisoformat(iso), "d. MMM yyyy")
    except (TypeError, ValueError):
        return iso or ""


def what_changed(changes: dict, labels: dict, value, *, named=()) -> str:
    """The end of an "updated" sentence: " Endret: konsekvens fra 3 til 4; tiltak." ("" when
    nothing changed). Each field by its label in `labels`, from `value(field, before)` to
    `value(field, after)`; the long texts in `named` only by their label."""
    details = "; ".join(
        _("%(f)s fra %(a)s til %(b)s", f=_(labels.get(k, k)), a=value(k, v[0]), b=value(k, v[1]))
        if k not in named else _(labels.get(k, k)) for k, v in changes.items())
    return " " + _("Endret: %(x)s.", x=details) if details else ""


def register_describers(*describers) -> None:
    """Add areas' describers to the history tab (create_app calls this with each area's
    describer, imported plainly). Registering one twice (a second app) adds it once."""
    for describer in describers:
        if describer not in DESCRIBERS:
            DESCRIBERS.append(describer)


def _date(iso: str) -> str:
    """A stored ISO date ("2026-03-01") as people read it ("1. mars 2026")."""
    from app.templating import oslo_date

    try:
        return oslo_date(date.fromisoformat(iso))
    except (TypeError, ValueError):
        return iso


def _item_text(gate: str | None, key: str | None) -> str:
    """The checklist statement an answer was given to (the key if it is no longer known)."""
    try:
        return next(_(i.text) for i in items_for(gate) if i.key == key)
    except (StopIteration, ValueError, KeyError):
        return key or ""
