"""Status reports: permissions, the operations that change them, the frozen snapshot, the
gate fact, the owner's front-page query and the history sentences.

Everything joins the request's transaction (app/transactions.py commits once).
"""
from __future__ import annotations

from datetime import date

from flask import abort, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.audit import record
from app.extensions import db
from app.models import Project, User
from app.models.base import utcnow
from app.models.status_report import AREA_CODES, AREAS, RAG_CODES, StatusReport
from app.plan.status.periods import PeriodTaken, check_period_free, flush_period
from app.notifications.messages import recipient_locale
from app.notifications.services import notify
from app.plan.common import CLOSED_STAGES, can_edit_plan

#: traffic-light labels, and what each colour means (shown in the legend and the form)
RAG_LABELS = {"green": _l("Grønn"), "yellow": _l("Gul"), "red": _l("Rød")}
RAG_MEANINGS = {"green": _l("I rute"), "yellow": _l("Avvik som håndteres"),
                "red": _l("Alvorlig avvik – trenger beslutning")}
AREA_LABELS = {code: _l(label) for code, label in AREAS}
#: the top risks frozen in a published report
SNAPSHOT_RISKS = 5

#: the largest id a database integer column holds; larger ids in a URL are simply missing
MAX_ID = 2**31 - 1


class ReportIncomplete(Exception):
    """The report cannot be published yet. `errors` maps form field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("incomplete")
        self.errors = errors


# --- permissions (the same functions guard the views and decide the buttons) ------------
def can_write_reports(project: Project, user) -> bool:
    """Write and publish status reports: the prosjektleder, the owner and administrators,
    while the project runs."""
    return can_edit_plan(project, user)


def can_change_report(report: StatusReport, user) -> bool:
    """Edit, publish or delete this report: a writer, and only while it is a draft."""
    return can_write_reports(report.project, user) and not report.is_published


# --- loading ------------------------------------------------------------------------------
def reports_for(project: Project) -> list[StatusReport]:
    """All of the project's reports, newest first, with their people loaded."""
    return list(db.session.execute(
        select(StatusReport).where(StatusReport.project_id == project.id)
        .options(joinedload(StatusReport.author), joinedload(StatusReport.published_by))
        .order_by(StatusReport.created_at.desc(), StatusReport.id.desc())
    ).scalars())


def get_report_or_404(project: Project, report_id: int) -> StatusReport:
    """The project's report `report_id`; another project's id is as missing as a wrong one."""
    if not 0 < report_id <= MAX_ID:
        abort(404)  # beyond a database integer: cannot exist (and must not reach the driver)
    report = db.session.execute(
        select(StatusReport).where(StatusReport.id == report_id,
                                   StatusReport.project_id == project.id)
        .options(joinedload(StatusReport.author), joinedload(StatusReport.published_by))
    ).scalar_one_or_none()
    if report is None:
        abort(404)
    return report


def refuse_if_published(report: StatusReport) -> None:
    """409 with a Norwegian explanation when someone tries to change a published report."""
    if report.is_published:
        abort(409, _("Statusrapporten for %(p)s er publisert %(when)s og kan ikke endres eller "
                     "slettes. Skriv en ny rapport hvis noe har endret seg.",
                     p=report.period_label, when=_when(report.published_at)))


# --- the operations -----------------------------------------------------------------------
def apply_form(report: StatusReport, form) -> None:
    """Copy the form's values onto a draft."""
    report.period_label = form.period_label.data.strip()
    report.period_start = form.period_start.data
    report.period_end = form.period_end.data
    for code in AREA_CODES:
        value = getattr(form, f"{code}_status").data
        setattr(report, f"{code}_status", value if value in RAG_CODES else None)
        setattr(report, f"{code}_comment", (getattr(form, f"{code}_comment").data or "").strip())
    report.overall_comment = (form.overall_comment.data or "").strip()
    report.spent_to_date_nok = form.spent_to_date_nok.data


def create_report(project: Project, form, user: User) -> StatusReport:
    """A new draft from the form. Raises PeriodTaken when the period has a report."""
    check_period_free(project.id, form.period_label.data)
    report = StatusReport(project_id=project.id, author=user, status="draft", snapshot={})
    apply_form(report, form)
    db.session.add(report)
    flush_period(project.id, report.period_label)
    record("status_report.created", obj=report, project_id=project.id, period=report.period_label)
    return report


def update_report(report: StatusReport, form) -> None:
    """Save the form onto a draft (the caller has checked the version). Raises PeriodTaken
    when the period was changed to one that has a report."""
    from app.plan.editing import save

    check_period_free(report.project_id, form.period_label.data, report.id)
    apply_form(report, form)
    label = report.period_label
    try:
        save(report)
    except IntegrityError:  # renamed to a period someone else took a moment ago
        db.session.rollback()
        raise PeriodTaken(_("Noen andre lagret en statusrapport for %(p)s i samme øyeblikk. "
                            "Velg en annen periode.", p=label)) from None
    record("status_report.updated", obj=report, project_id=report.project_id,
           period=report.period_label)


def publish_errors(report: StatusReport) -> dict[str, list[str]]:
    """What stops publication: each area rated, yellow and red explained, and an overall
    comment. Keys are the form's field names, so the messages land beside the fields."""
    errors: dict[str, list[str]] = {}
    for code, label in AREAS:
        status = report.area_status(code)
        area = _(label).lower()
        if status not in RAG_CODES:
            errors[f"{code}_status"] = [_("Velg grønn, gul eller rød for %(a)s.", a=area)]
        elif status != "green" and not report.area_comment(code):
            errors[f"{code}_comment"] = [_("Forklar hvorfor %(a)s er %(c)s, og hva som gjøres.",
                                           a=area, c=str(RAG_LABELS[status]).lower())]
    if not (report.overall_comment or "").strip():
        errors["overall_comment"] = [_("Skriv en samlet vurdering til prosjekteier.")]
    return errors


def publish_report(report: StatusReport, user: User) -> None:
    """Publish a complete draft: freeze the top risks and the milestones as they stand now,
    and tell the owner. Raises ReportIncomplete (nothing changed) when something is missing."""
    from app.plan.editing import save

    errors = publish_errors(report)
    if errors:
        raise ReportIncomplete(errors)
    project = report.project
    report.snapshot = take_snapshot(project)
    report.status = "published"
    report.published_at = utcnow()
    report.published_by = user
    save(report)
    record("status_report.published", obj=report, project_id=project.id,
           period=report.period_label,
           statuses={code: report.area_status(code) for code in AREA_CODES})
    owner = project.owner
    if owner is not None and owner.id != user.id:
        with recipient_locale(owner):  # in the owner's language
            text = _("%(who)s publiserte statusrapporten for %(p)s i «%(t)s».", who=user.display_name,
                     p=report.period_label, t=project.title)
            notify(owner, "status_published", text,
                   url_for("plan.show_status_report", project_id=project.id, report_id=report.id),
                   project=project)


def delete_report(report: StatusReport) -> None:
    """Delete a draft (a published report is refused before this is called)."""
    record("status_report.deleted", obj=report, project_id=report.project_id,
           period=report.period_label)
    db.session.delete(report)
    db.session.flush()


# --- the frozen snapshot ----------------------------------------------------------------
def take_snapshot(project: Project, today: date | None = None) -> dict:
    """The top risks (by score) and every milestone, as plain JSON that later edits of the
    project cannot reach. Tabs not built yet (no model) give empty lists."""
    today = today or _oslo_today()
    return {"taken_at": utcnow().isoformat(), "risks": _risk_rows(project),
            "milestones": _milestone_rows(project, today)}


def _risk_model():
    try:
        from app.models.risk import Risk
    except ImportError:  # the risk tab is not built yet
        return None
    return Risk


def _milestone_model():
    try:
        from app.models.plan import Milestone
    except ImportError:  # the milestones tab is not built yet
        return None
    return Milestone


def _name(user) -> str:
    return user.display_name if user is not None else ""


def _label(value) -> str:
    return str(value) if value is not None else ""


def _risk_rows(project: Project) -> list[dict]:
    """The SNAPSHOT_RISKS open risks (not opportunities) with the highest score."""
    Risk = _risk_model()
    if Risk is None:
        return []
    query = select(Risk).where(Risk.project_id == project.id)
    if hasattr(Risk, "responsible"):
        query = query.options(joinedload(Risk.responsible))
    rows = []
    for risk in db.session.execute(query).scalars():
        if getattr(risk, "kind", "risk") not in (None, "", "risk"):
            continue  # opportunities are not part of "the top risks"
        if _is_closed(risk):
            continue
        score = _score(risk)
        rows.append({
            "id": risk.id,
            "description": getattr(risk, "description", "") or "",
            "probability": getattr(risk, "probability", None),
            "consequence": getattr(risk, "consequence", None),
            "score": score,
            "status": _label(getattr(risk, "status", "")),
            "status_label": _display(risk, "status"),
            "strategy": _label(getattr(risk, "strategy", "")),
            "strategy_label": _display(risk, "strategy"),
            "action": getattr(risk, "action", "") or "",
            "responsible": _name(getattr(risk, "responsible", None)),
        })
    rows.sort(key=lambda r: (-(r["score"] or 0), r["id"]))
    return rows[:SNAPSHOT_RISKS]


def _score(risk) -> int | None:
    score = getattr(risk, "score", None)
    if callable(score):
        score = score()
    if score is None:
        p, c = getattr(risk, "probability", None), getattr(risk, "consequence", None)
        score = p * c if p and c else None
    return score


def _is_closed(risk) -> bool:
    status = str(getattr(risk, "status", "") or "").lower()
    return status in {"closed", "lukket", "done", "avsluttet"}


def _display(obj, name: str) -> str:
    """A coded value's Norwegian label when the model offers one (`<name>_label`)."""
    label = getattr(obj, f"{name}_label", None)
    if callable(label):
        label = label()
    return str(label) if label else _label(getattr(obj, name, ""))


def _milestone_rows(project: Project, today: date) -> list[dict]:
    Milestone = _milestone_model()
    if Milestone is None:
        return []
    query = select(Milestone).where(Milestone.project_id == project.id)
    if hasattr(Milestone, "responsible"):
        query = query.options(joinedload(Milestone.responsible))
    rows = []
    for m in db.session.execute(query).scalars():
        due, done = getattr(m, "due_date", None), getattr(m, "done_date", None)
        rows.append({
            "id": m.id,
            "number": _label(getattr(m, "number", "")),
            "description": getattr(m, "description", "") or "",
            "due_date": due.isoformat() if due else None,
            "done_date": done.isoformat() if done else None,
            "responsible": _name(getattr(m, "responsible", None)),
            "overdue": bool(done is None and due is not None and due < today),
        })
    rows.sort(key=lambda r: (r["due_date"] or "9999", _natural(r["number"])))
    return rows


def _natural(text: str) -> tuple:
    """"M2" before "M10"."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or ""))


def _oslo_today() -> date:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Oslo")).date()


# --- the gate fact ----------------------------------------------------------------------
def status_facts(project: Project) -> dict:
    """`latest_status_report_published`: the most recent report is published (False when
    there is none, or the newest is still a draft). One small query."""
    latest = db.session.execute(
        select(StatusReport.status).where(StatusReport.project_id == project.id)
        .order_by(StatusReport.created_at.desc(), StatusReport.id.desc()).limit(1)
    ).scalar_one_or_none()
    return {"latest_status_report_published": latest == "published"}


# --- the owner's front page ---------------------------------------------------------------
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


# --- the history tab ----------------------------------------------------------------------
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
