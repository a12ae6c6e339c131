"""The status tab's routes: /projects/<id>/status, one page per report, and the draft's
actions. Every route loads (`get_child_or_404`), checks `Project.can_write_reports` /
`StatusReport.can_change`, calls one operation (operations.py) and renders."""
from __future__ import annotations

import calendar
from datetime import date

from flask import flash, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app import is_htmx
from app.forms import EmptyForm
from app.models.status_report import AREAS, StatusReport
from app.plan import bp
from app.plan.common import (StaleEdit, check_version, editable_child, editable_project, get_child_or_404,
                             load_project, render_tab)
from app.plan.editing import format_nok
from app.plan.editing import today as oslo_today
from app.plan.status.forms import (StatusReportForm, VersionForm, area_fields, check_choices, interval_form,
                                   report_conflicts)
from app.plan.status.operations import (PeriodTaken, ReportIncomplete, apply_form, create_report, delete_report,
                                        publish_errors, publish_report, refuse_if_published, set_report_interval,
                                        update_report)
from app.plan.status.queries import RAG_LABELS, RAG_MEANINGS, reports_for
from app.plan.status.snapshot import take_snapshot

TEMPLATE_FORM = "plan/status/_form.html"


def _report_or_404(project, report_id: int) -> StatusReport:
    """The project's report with its people loaded; another project's id is as missing as a wrong one."""
    return get_child_or_404(StatusReport, project, report_id,
                            joinedload(StatusReport.author), joinedload(StatusReport.published_by))


def _common() -> dict:
    return dict(active_tab="status", areas=AREAS, rag_labels=RAG_LABELS, rag_meanings=RAG_MEANINGS,
                format_nok=format_nok)


# --- the list ------------------------------------------------------------------------------
@bp.route("/status")
@login_required
def status(project_id: int):
    """All the project's status reports, newest first."""
    project = load_project(project_id)
    reports = reports_for(project)
    return render_tab("plan/status/tab.html", None, project=project, reports=reports,
                      interval_form=interval_form(project),
                      has_draft=any(not r.is_published for r in reports), **_common())


@bp.route("/status/interval", methods=["POST"])
@login_required
def set_status_interval(project_id: int):
    """How often status is reported (the prosjektleder, the owner and administrators)."""
    project = editable_project(project_id, "can_write_reports")
    form = interval_form(project, formdata=request.form)
    if not form.validate_on_submit():
        flash(_("Velg hvor ofte statusrapporten skal leveres."), "danger")
    elif set_report_interval(project, form.interval.data):
        flash(_("Rapporteringsintervallet er lagret."), "success")
    return redirect(url_for("plan.status", project_id=project.id) + "#report-interval", code=303)


# --- one report ----------------------------------------------------------------------------
def _report_page(project, report, status: int = 200, *, message: str = ""):
    publish_form = VersionForm(formdata=None)
    publish_form.version.data = report.version
    # A draft shows the risks and milestones as they stand now; publishing freezes them.
    snapshot = report.snapshot if report.is_published else take_snapshot(project)
    return render_tab("plan/status/_report.html", None, status, project=project, report=report,
                      snapshot=snapshot,
                      publish_form=publish_form, delete_form=EmptyForm(formdata=None),
                      message=message, **_common())


@bp.route("/status/<int:report_id>")
@login_required
def show_status_report(project_id: int, report_id: int):
    """One report: a published one exactly as it was published."""
    project = load_project(project_id)
    return _report_page(project, _report_or_404(project, report_id))


# --- writing ---------------------------------------------------------------------------------
def _form_page(project, form, report=None, status: int = 200, *, conflict: list | None = None,
               message: str = "", publish_failed: bool = False):
    return render_tab(TEMPLATE_FORM, "report_form", status, project=project, form=form, report=report,
                      area_fields=area_fields(form), conflict=conflict or [], message=message,
                      publish_failed=publish_failed, **_common())


def _done(project, report, message: str):
    """After a successful save: to the report's page (htmx follows HX-Redirect)."""
    url = url_for("plan.show_status_report", project_id=project.id, report_id=report.id)
    flash(message, "success")
    if is_htmx():
        return "", 204, {"HX-Redirect": url}
    return redirect(url, code=303)


def _this_month() -> tuple[str, date, date]:
    today = oslo_today()
    last = calendar.monthrange(today.year, today.month)[1]
    label = format_date(today, "LLLL yyyy")
    return label[:1].upper() + label[1:], today.replace(day=1), today.replace(day=last)


def _valid(form: StatusReportForm) -> bool:
    ok = form.validate_on_submit()
    return check_choices(form) and ok


def _publish_check(form: StatusReportForm) -> dict[str, list[str]]:
    """What stops publication of the values in the form (nothing is changed to find out)."""
    draft = StatusReport()  # transient: never added to the session
    apply_form(draft, form)
    return publish_errors(draft)


def _attach(form: StatusReportForm, errors: dict[str, list[str]]) -> None:
    for name, messages in errors.items():
        field = getattr(form, name)
        field.errors = [*field.errors, *messages]


@bp.route("/status/new", methods=["GET", "POST"])
@login_required
def new_status_report(project_id: int):
    """Write a new report: "Lagre utkast" or "Publiser" straight away."""
    project = editable_project(project_id, "can_write_reports")
    if request.method == "GET":
        form = StatusReportForm(formdata=None)
        form.period_label.data, form.period_start.data, form.period_end.data = _this_month()
        return _form_page(project, form)
    form = StatusReportForm()
    if not _valid(form):
        return _form_page(project, form, status=422)
    publishing = request.form.get("action") == "publish"
    if publishing:
        errors = _publish_check(form)
        if errors:
            _attach(form, errors)
            return _form_page(project, form, status=422, publish_failed=True)
    try:
        report = create_report(project, form, current_user, publish=publishing)
    except PeriodTaken as exc:
        form.period_label.errors = [*form.period_label.errors, exc.message]
        return _form_page(project, form, status=422)
    if publishing:
        return _done(project, report, _("Statusrapporten er publisert."))
    return _done(project, report, _("Utkastet er lagret. Publiser når rapporten er klar."))


@bp.route("/status/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
def edit_status_report(project_id: int, report_id: int):
    """Edit a draft. A published report is refused (409): it is frozen."""
    project, report = editable_child(project_id, _report_or_404, report_id, "can_write_reports")
    refuse_if_published(report)
    if request.method == "GET":
        return _form_page(project, StatusReportForm(formdata=None, obj=report), report)
    form = StatusReportForm()
    if not _valid(form):
        return _form_page(project, form, report, 422)
    publishing = request.form.get("action") == "publish"
    try:
        check_version(report, form.version.data)
    except StaleEdit as exc:
        return _stale(project, report, form, exc)
    if publishing:
        errors = _publish_check(form)
        if errors:
            _attach(form, errors)
            return _form_page(project, form, report, 422, publish_failed=True)
    try:
        update_report(report, form, publish_by=current_user if publishing else None)
    except StaleEdit as exc:
        return _stale(project, exc.current or report, form, exc)
    except PeriodTaken as exc:
        form.period_label.errors = [*form.period_label.errors, exc.message]
        return _form_page(project, form, report, 422)
    if publishing:
        return _done(project, report, _("Statusrapporten er publisert."))
    return _done(project, report, _("Utkastet er lagret."))


def _stale(project, report, form, exc: StaleEdit):
    """Someone else saved (or published) the report meanwhile: 409, their values shown,
    the typed values kept, the form now based on the current version."""
    refuse_if_published(report)
    form.version.data = report.version
    return _form_page(project, form, report, 409, conflict=report_conflicts(form, report),
                      message=exc.message)


@bp.route("/status/<int:report_id>/publish", methods=["POST"])
@login_required
def publish_status_report(project_id: int, report_id: int):
    """"Publiser": freeze the report. Something missing → the form, with what to fix."""
    project, report = editable_child(project_id, _report_or_404, report_id, "can_write_reports")
    refuse_if_published(report)
    form = VersionForm()
    try:
        check_version(report, form.version.data)
    except StaleEdit:
        return _report_page(project, report, 409, message=_(
            "Utkastet er endret av noen andre siden du åpnet det. Les gjennom rapporten slik den "
            "er nå, og publiser på nytt."))
    try:
        publish_report(report, current_user)
    except ReportIncomplete as exc:
        edit_form = StatusReportForm(formdata=None, obj=report)
        _attach(edit_form, exc.errors)
        return render_tab(TEMPLATE_FORM, None, 422, project=project, form=edit_form, report=report,
                          area_fields=area_fields(edit_form), conflict=[], message="",
                          publish_failed=True, **_common())
    except StaleEdit:
        refuse_if_published(report)
        return _report_page(project, report, 409, message=_(
            "Utkastet ble endret av noen andre i samme øyeblikk. Les gjennom og publiser på nytt."))
    return _done(project, report, _("Statusrapporten er publisert."))


@bp.route("/status/<int:report_id>/delete", methods=["POST"])
@login_required
def delete_status_report(project_id: int, report_id: int):
    """Delete a draft (the page asks first). A published report is refused (409)."""
    project, report = editable_child(project_id, _report_or_404, report_id, "can_write_reports")
    refuse_if_published(report)
    period = report.period_label
    delete_report(report)
    url = url_for("plan.status", project_id=project.id)
    flash(_("Utkastet for %(p)s er slettet.", p=period), "success")
    if is_htmx():
        return "", 204, {"HX-Redirect": url}
    return redirect(url, code=303)
