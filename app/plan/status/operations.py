"""The status tab's state changes: drafts, publishing (with the frozen snapshot) and
deleting, each with its audit event.

Everything joins the request's transaction (app/transactions.py commits once).
"""
from __future__ import annotations


from flask import abort, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.audit import delete_recorded, record
from app.extensions import db
from app.models import Project, User
from app.models.base import utcnow
from app.models.status_report import AREA_CODES, AREAS, RAG_CODES, StatusReport
from app.plan.status.periods import PeriodTaken, check_period_free, flush_period
from app.notifications.messages import recipient_locale
from app.notifications.services import notify
from app.plan.editing import save
from app.plan.plan.queries import get_or_add_plan
from app.plan.status.queries import RAG_LABELS, _when, interval_of
from app.plan.status.snapshot import take_snapshot


class ReportIncomplete(Exception):
    """The report cannot be published yet. `errors` maps form field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("incomplete")
        self.errors = errors


# --- loading ------------------------------------------------------------------------------


def refuse_if_published(report: StatusReport) -> None:
    """409 with a Norwegian explanation when someone tries to change a published report."""
    if report.is_published:
        abort(409, _("Statusrapporten for %(p)s er publisert %(when)s og kan ikke endres eller "
                     "slettes. Skriv en ny rapport hvis noe har endret seg.",
                     p=report.period_label, when=_when(report.published_at)))


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


def create_report(project: Project, form, user: User, *, publish: bool = False) -> StatusReport:
    """A new draft from the form, published at once with `publish` (the caller checked that
    it is complete). Raises PeriodTaken when the period has a report."""
    check_period_free(project.id, form.period_label.data)
    report = StatusReport(project_id=project.id, author=user, status="draft", snapshot={})
    apply_form(report, form)
    db.session.add(report)
    flush_period(project.id, report.period_label)
    record("status_report.created", obj=report, project_id=project.id, period=report.period_label)
    if publish:
        publish_report(report, user)
    return report


def update_report(report: StatusReport, form, *, publish_by: User | None = None) -> None:
    """Save the form onto a draft (the caller has checked the version), and publish it as
    `publish_by` when given. Raises PeriodTaken when the period was changed to one that has
    a report, StaleEdit when someone else saved it first."""
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
    if publish_by is not None:
        publish_report(report, publish_by)


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
    delete_recorded(report, "status_report.deleted", project_id=report.project_id, period=report.period_label)


def set_report_interval(project, interval: str) -> bool:
    """Store the interval; False when it was already that. Audited on the project."""
    old = interval_of(project)
    if interval == old:
        return False
    plan = get_or_add_plan(project)
    plan.report_interval = interval
    record("status.interval_set", obj=project, project_id=project.id, interval=interval, interval_from=old)
    return True
