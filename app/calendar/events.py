"""The dates a calendar feed holds, as plain `Event`s (app.calendar.ics writes them).

A person's feed: milestones they are responsible for or on projects they own or manage;
gate requests they must decide as owner (on the day a decision is expected, or the new
date of a postponed one: the same event moves); and benefit measurements due for the
benefits they are gevinstansvarlig for (a recurring event following the schedule). A
project's feed holds all of these for one project. Only projects the person may see
are ever read (`openable_projects`), so a restricted project never reaches a calendar it
should not.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import OPEN_STATUSES, GateRequest, Milestone, Project
from app.models.benefit import Benefit
from app.notifications.links import path_for
from app.notifications.services import absolute_url
from app.portfolio.visibility import openable_projects
from app.reminders.history import approved_on
from app.reminders.periods import oslo_today
from app.reminders.schedule import schedule_end
from app.reminders.periods import add_months
from app.reminders.workdays import add_working_days

#: projects whose dates no longer matter
ENDED = ("draft", "rejected", "withdrawn")


@dataclass
class Event:
    #: stable across updates: a changed date moves the event in the calendar
    uid: str
    summary: str
    day: date
    description: str
    url: str
    #: bumped by every change of the record (the record's version)
    sequence: int = 0
    modified: datetime | None = None
    #: a repeating event: every `every_months` months, up to `until` (None: no end)
    every_months: int | None = None
    until: date | None = None
    categories: list[str] = field(default_factory=list)


def person_events(user) -> list[Event]:
    """Everything in the person's own calendar."""
    mine = or_(Project.owner_id == user.id, Project.manager_id == user.id)
    milestones = _milestones(or_(Milestone.responsible_id == user.id, mine), user)
    gates = _gate_requests(Project.owner_id == user.id, user)
    benefits = _measurements(or_(Benefit.owner_id == user.id,
                                 (Benefit.owner_id.is_(None)) & mine), user)
    return milestones + gates + benefits


def project_events(project, user) -> list[Event]:
    """Everything in one project's calendar (the caller checked that `user` may see it)."""
    here = Project.id == project.id
    return _milestones(here, user) + _gate_requests(here, user) + _measurements(here, user)


def _uid(kind: str, ident) -> str:
    host = current_app.config["BASE_URL"].split("//")[-1].split("/")[0].split(":")[0] or "faseport"
    return f"{kind}-{ident}@{host}"


def _milestones(where, user) -> list[Event]:
    rows = db.session.execute(
        select(Milestone, Project).join(Project, Project.id == Milestone.project_id)
        .where(where, openable_projects(user), Project.stage.not_in(ENDED))
        .options(joinedload(Milestone.responsible))
        .order_by(Milestone.due_date, Milestone.id)).all()
    events = []
    for m, project in rows:
        done = m.done_date is not None
        label = f"{m.gate}: " if m.gate else ""
        summary = _("%(n)s %(g)s%(d)s – %(p)s", n=m.number, g=label, d=m.description, p=project.title)
        if done:
            summary = _("Nådd: %(s)s", s=summary)
        lines = [_("Milepæl i «%(p)s».", p=project.title)]
        if m.responsible is not None:
            lines.append(_("Ansvarlig: %(n)s", n=m.responsible.display_name))
        url = absolute_url(path_for("plan.milestones", project_id=project.id, anchor=f"milestone-{m.id}"))
        events.append(Event(_uid("milestone", m.id), summary, m.due_date, "\n".join(lines), url,
                            sequence=m.version, modified=m.updated_at, categories=[_("Milepæl")]))
    return events


def _gate_requests(where, user) -> list[Event]:
    every = max(1, int(current_app.config["REMINDER_GATE_WORKING_DAYS"]))
    rows = db.session.execute(
        select(GateRequest, Project).join(Project, Project.id == GateRequest.project_id)
        .where(where, openable_projects(user), GateRequest.status.in_(OPEN_STATUSES))
        .options(joinedload(GateRequest.requested_by))
        .order_by(GateRequest.id)).all()
    events = []
    for req, project in rows:
        if req.status == "postponed" and req.postponed_until is not None:
            day = req.postponed_until
            summary = _("Utsatt beslutning: %(g)s for «%(p)s»", g=req.gate, p=project.title)
            text = _("Prosjekteier utsatte beslutningen til denne dagen.")
        else:
            asked = oslo_today(req.requested_at)
            day = add_working_days(asked, every)
            summary = _("Beslutning: %(g)s for «%(p)s»", g=req.gate, p=project.title)
            text = _("%(who)s ba om godkjenning %(d)s. Beslutningen ventes innen denne dagen.",
                     who=req.requested_by.display_name, d=asked.strftime("%d.%m.%Y"))
        url = absolute_url(path_for("gates.show_gate", project_id=project.id, gate_code=req.gate))
        events.append(Event(_uid("gate-request", req.id), summary, day, text, url,
                            sequence=req.version, categories=[_("Beslutningspunkt")]))
    return events


def _measurements(where, user) -> list[Event]:
    rows = db.session.execute(
        select(Benefit, Project).join(Project, Project.id == Benefit.project_id)
        .where(where, openable_projects(user), Benefit.measure_every_months.is_not(None),
               Project.stage == "realisation")
        .order_by(Benefit.id)).all()
    if not rows:
        return []
    handed = approved_on("BP5", {b.project_id for b, _p in rows})
    events = []
    for benefit, project in rows:
        start = handed.get(project.id)
        if start is None:
            continue
        first = add_months(start, benefit.measure_every_months)
        until = schedule_end(benefit, start)
        if until is not None and first > until:
            continue
        summary = _("Gevinstmåling: %(i)s – %(p)s", i=benefit.indicator or benefit.description[:60], p=project.title)
        text = _("Mål gevinsten «%(b)s» og registrer målingen i Faseport.", b=benefit.description)
        url = absolute_url(path_for("plan.benefits", project_id=project.id, anchor=f"benefit-{benefit.id}"))
        events.append(Event(_uid("benefit-measurement", benefit.id), summary, first, text, url,
                            sequence=benefit.version, modified=benefit.updated_at,
                            every_months=benefit.measure_every_months, until=until,
                            categories=[_("Gevinstmåling")]))
    return events
