"""Reading status reports: the labels, the project's reports, the gate fact, the owner's
front-page query and the history sentences."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Project
from app.models.status_report import AREAS, StatusReport
from app.plan.common import CLOSED_STAGES, children_of
from app.plan.plan.queries import get_plan
from app.reminders.periods import REPORT_INTERVALS

#: traffic-light labels, and what each colour means (shown in the legend and the form)
RAG_LABELS = {"green": _l("Grønn"), "yellow": _l("Gul"), "red": _l("Rød")}
RAG_MEANINGS = {"green": _l("I rute"), "yellow": _l("Avvik som håndteres"),
                "red": _l("Alvorlig avvik – trenger beslutning")}
AREA_LABELS = {code: _l(label) for code, label in AREAS}


def reports_for(project: Project) -> list[StatusReport]:
    """All of the project's reports, newest first, with their people loaded."""
    return children_of(project, StatusReport, StatusReport.created_at.desc(), StatusReport.id.desc(),
                       options=[joinedload(StatusReport.author), joinedload(StatusReport.published_by)])


def status_facts(project: Project) -> dict:
    """`latest_status_report_published`: the most recent report is published (False when
    there is none, or the newest is still a draft). One small query."""
    latest = db.session.execute(
        select(StatusReport.status).where(StatusReport.project_id == project.id)
        .order_by(StatusReport.created_at.desc(), StatusReport.id.desc()).limit(1)
    ).scalar_one_or_none()
    return {"latest_status_report_published": latest == "published"}


def latest_reports_for_owner(user) -> list[StatusReport]:
    """The latest published report of each running project `user` owns, newest first.

    One query (a window function picks each project's latest; the project and the
    publisher are joined in), so the front page stays cheap however many projects there
    are. Projects that are completed, rejected or withdrawn are left out.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    ranked = (
        select(StatusReport.id.label("id"),
               func.row_number().over(
                   partition_by=StatusReport.project_id,
                   order_by=(StatusReport.published_at.desc(), StatusReport.id.desc()),
               ).label("rank"))
        .join(Project, Project.id == StatusReport.project_id)
        .where(Project.owner_id == user.id, StatusReport.status == "published",
               Project.stage.not_in(CLOSED_STAGES))
        .subquery()
    )
    return list(db.session.execute(
        select(StatusReport)
        .join(ranked, ranked.c.id == StatusReport.id)
        .where(ranked.c.rank == 1)
        .options(joinedload(StatusReport.project), joinedload(StatusReport.published_by))
        .order_by(StatusReport.published_at.desc(), StatusReport.id.desc())
    ).scalars())


def describe_status_event(event) -> str | None:
    """Norwegian sentences for the status reports' audit events."""
    if not event.action.startswith("status_report."):
        return None
    who = event.actor_name or _("Systemet")
    period = (event.data or {}).get("period", "")
    verb = event.action.split(".", 1)[1]
    if verb == "created":
        return _("%(who)s begynte på statusrapporten for %(p)s.", who=who, p=period)
    if verb == "updated":
        return _("%(who)s endret utkastet til statusrapport for %(p)s.", who=who, p=period)
    if verb == "published":
        statuses = (event.data or {}).get("statuses") or {}
        summary = ", ".join(f"{str(AREA_LABELS[c]).lower()} {str(RAG_LABELS[s]).lower()}"
                            for c, s in statuses.items() if c in AREA_LABELS and s in RAG_LABELS)
        text = _("%(who)s publiserte statusrapporten for %(p)s.", who=who, p=period)
        return text + (" " + _("Status: %(s)s.", s=summary) if summary else "")
    if verb == "deleted":
        return _("%(who)s slettet utkastet til statusrapport for %(p)s.", who=who, p=period)
    return None


def snapshot_date(value: str | None) -> str:
    """A date kept as ISO text in a snapshot, shown as "3. mars 2026" (template filter)."""
    from app.templating import oslo_date

    if not value:
        return "–"
    try:
        return oslo_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def _when(value) -> str:
    from app.templating import oslo_datetime

    return oslo_datetime(value)


#: the interval of a project whose plan does not say (the municipal template's monthly report)
DEFAULT_INTERVAL = "month"


def interval_of(project) -> str:
    """How often the project reports status (the plan's choice, else monthly)."""
    plan = get_plan(project)
    return DEFAULT_INTERVAL if plan is None else plan.report_interval


def describe_interval_event(event) -> str | None:
    """The history's sentence for a changed reporting interval."""
    if event.action != "status.interval_set":
        return None
    label = REPORT_INTERVALS.get((event.data or {}).get("interval", ""), "")
    return _("%(who)s satte rapporteringsintervallet til «%(i)s».", who=event.actor_name or _("Systemet"),
             i=str(label))
