"""The status tab: /projects/<id>/status, one page per report, and the draft's actions."""
from __future__ import annotations

import calendar
from datetime import date

from flask import flash, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import HiddenField

from app import is_htmx
from app.models.status_report import AREAS, StatusReport
from app.plan import bp
from app.plan.editing import format_nok
from app.plan.common import StaleEdit, check_version, load_project, render_tab, require_edit
from app.plan.editing import EmptyForm
from app.plan.status.forms import StatusReportForm, area_fields, check_choices
from app.plan.status.services import (RAG_LABELS, RAG_MEANINGS, PeriodTaken, ReportIncomplete, _oslo_today,
                                      can_change_report, can_write_reports, create_report,
                                      delete_report, get_report_or_404, publish_errors,
                                      publish_report, refuse_if_published, reports_for,
                                      take_snapshot, update_report)

from app.plan.status.schedule import interval_form, set_report_interval

TEMPLATE_FORM = "plan/status_form.html"


class VersionForm(EmptyForm):
    """Publish: a button, the CSRF token and the version the person looked at."""

    version = HiddenField()


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
    return render_tab("plan/status.html", None, project=project, reports=reports,
                      can_write=can_write_reports(project, current_user),
                      interval_form=interval_form(project),
                      has_draft=any(not r.is_published for r in reports), **_common())


@bp.route("/status/interval", methods=["POST"])
@login_required
def set_status_interval(project_id: int):
    """How often status is reported (the prosjektleder, the owner and administrators)."""
    project = load_project(project_id)
    require_edit(can_write_reports(project, current_user))
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
    return render_tab("plan/status_report.html", None, status, project=project, report=report,
                      snapshot=snapshot, can_change=can_change_report(report, current_user),
                      publish_form=publish_form, delete_form=EmptyForm(formdata=None),
                      message=message, **_common())


@bp.route("/status/<int:report_id>")
@login_required
def show_status_report(project_id: int, report_id: int):
    """One report: a published one exactly as it was published."""
    project = load_project(project_id)
    return _report_page(project, get_report_or_404(project, report_id))


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
    today = _oslo_today()
    last = calendar.monthrange(today.year, today.month)[1]
    label = format_date(today, "LLLL yyyy")
    return label[:1].upper() + label[1:], today.replace(day=1), today.replace(day=last)


def _valid(form: StatusReportForm) -> bool:
    ok = form.validate_on_submit()
    return check_choices(form) and ok


def _publish_check(form: StatusReportForm) -> dict[str, list[str]]:
    """What stops publication of the values in the form (nothing is changed to find out)."""
    from app.plan.status.services import apply_form

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
    project = load_project(project_id)
    require_edit(can_write_reports(project, current_user))
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
        report = create_report(project, form, current_user)
    except PeriodTaken as exc:
        form.period_label.errors = [*form.period_label.errors, exc.message]
        return _form_page(project, form, status=422)
    if publishing:
        publish_report(report, current_user)
        return _done(project, report, _("Statusrapporten er publisert."))
    return _done(project, report, _("Utkastet er lagret. Publiser når rapporten er klar."))


def _conflict_rows(report: StatusReport, form: StatusReportForm) -> list[tuple[str, str]]:
    """(label, value now) for each field where the stored report differs from what was typed."""
    rows = []
    names = ["period_label", "period_start", "period_end"]
    for code, _label in AREAS:
        names += [f"{code}_status", f"{code}_comment"]
    names.append("overall_comment")
    for name in names:
        typed, current = getattr(form, name).data, getattr(report, name)
        if isinstance(typed, str):
            typed = typed.strip()
        if (typed or None) == (current or None):
            continue
        if name.endswith("_status"):
            shown = str(RAG_LABELS[current]) if current in RAG_LABELS else _("ikke vurdert")
        elif isinstance(current, date):
            shown = format_date(current, "d. MMM yyyy")
        else:
            shown = current or _("(tomt)")
        rows.append((str(getattr(form, name).label.text), shown))
    return rows


@bp.route("/status/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
def edit_status_report(project_id: int, report_id: int):
    """Edit a draft. A published report is refused (409): it is frozen."""
    project = load_project(project_id)
    report = get_report_or_404(project, report_id)
    require_edit(can_write_reports(project, current_user))
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
        update_report(report, form)
        if publishing:
            publish_report(report, current_user)
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
    return _form_page(project, form, report, 409, conflict=_conflict_rows(report, form),
                      message=exc.message)


@bp.route("/status/<int:report_id>/publish", methods=["POST"])
@login_required
def publish_status_report(project_id: int, report_id: int):
    """"Publiser": freeze the report. Something missing → the form, with what to fix."""
    project = load_project(project_id)
    report = get_report_or_404(project, report_id)
    require_edit(can_write_reports(project, current_user))
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
    project = load_project(project_id)
    report = get_report_or_404(project, report_id)
    require_edit(can_write_reports(project, current_user))
    refuse_if_published(report)
    period = report.period_label
    delete_report(report)
    url = url_for("plan.status", project_id=project.id)
    flash(_("Utkastet for %(p)s er slettet.", p=period), "success")
    if is_htmx():
        return "", 204, {"HX-Redirect": url}
    return redirect(url, code=303)
