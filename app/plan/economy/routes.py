"""The economy tab's routes (load, check `Project.can_edit_plan`, call one operation in
operations.py, render). Plain forms that post and redirect; a refused save shows the
page again with the errors and what was typed, a stale one answers 409 with the values
stored now."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.models.economy import BudgetLine, FundingSource
from app.plan import bp
from app.plan.common import StaleEdit, check_version, get_child_or_404, load_project, render_tab, require_edit
from app.plan.economy import operations
from app.plan.economy.summary import summary as economy_summary, year_taken
from app.plan.economy.forms import BudgetLineForm, FundingSourceForm
from app.forms import EmptyForm
from app.plan.editing import done, format_nok, last_change


def _edit_form(cls, obj, prefix: str):
    form = cls(prefix=prefix, formdata=None, obj=obj)
    form.version.data = obj.version
    return form


def _context(project, *, forms: dict | None = None, edit_line: int | None = None,
             edit_source: int | None = None, conflict: dict | None = None) -> dict:
    forms = dict(forms or {})
    summary = economy_summary(project)
    forms.setdefault("new_line", BudgetLineForm(prefix="line_", formdata=None))
    forms.setdefault("new_source", FundingSourceForm(prefix="source_", formdata=None))
    if edit_line and "line" not in forms:
        line = next((x for x in summary.lines if x.id == edit_line), None)
        edit_line = line.id if line else None
        if line:
            forms["line"] = _edit_form(BudgetLineForm, line, "edit_line_")
    if edit_source and "source" not in forms:
        row = next((x for x in summary.sources if x.id == edit_source), None)
        edit_source = row.id if row else None
        if row:
            forms["source"] = _edit_form(FundingSourceForm, row, "edit_source_")
    return dict(project=project, active_tab="economy", economy=summary, forms=forms,
                edit_line=edit_line, edit_source=edit_source, conflict=conflict or {},
                can_edit=project.can_edit_plan(current_user), format_nok=format_nok,
                delete_form=EmptyForm())


def _render(project, status: int = 200, **kwargs):
    return render_tab("plan/economy/tab.html", None, status, **_context(project, **kwargs))


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.route("/economy")
@login_required
def economy(project_id: int):
    """The budget per year, the financing, and planned against spent."""
    project = load_project(project_id)
    return _render(project, edit_line=_int_arg("edit_line"), edit_source=_int_arg("edit_source"))


# --- budget lines -------------------------------------------------------------------------
def _check_year(project, form, exclude_id: int | None = None) -> None:
    if form.year.data is not None and not form.year.errors and \
            year_taken(project, form.year.data, exclude_id):
        form.year.errors = [*form.year.errors, _("Det finnes allerede et budsjett for %(y)s. Endre det i stedet.",
                                                  y=form.year.data)]


@bp.route("/economy/lines", methods=["POST"])
@login_required
def add_budget_line(project_id: int):
    project = load_project(project_id)
    require_edit(project.can_edit_plan(current_user))
    form = BudgetLineForm(prefix="line_")
    form.validate_on_submit()
    _check_year(project, form)
    if form.errors:
        return _render(project, 422, forms={"new_line": form})
    operations.add_line(project, form.year.data, form.investment_nok.data, form.operating_nok.data, form.note.data)
    return done(_("Budsjettet for %(y)s er lagt inn.", y=form.year.data), "plan.economy",
                anchor="economy-budget", project_id=project.id)


@bp.route("/economy/lines/<int:line_id>", methods=["POST"])
@login_required
def update_budget_line(project_id: int, line_id: int):
    project = load_project(project_id)
    require_edit(project.can_edit_plan(current_user))
    line = get_child_or_404(BudgetLine, project, line_id)
    form = BudgetLineForm(prefix="edit_line_")
    valid = form.validate_on_submit()
    try:
        check_version(line, form.version.data)
        _check_year(project, form, exclude_id=line.id)
        if not valid or form.errors:
            return _render(project, 422, forms={"line": form}, edit_line=line.id)
        changed = operations.update_line(project, line, form.year.data, form.investment_nok.data,
                                       form.operating_nok.data, form.note.data)
    except StaleEdit as exc:
        current = exc.current
        form.version.data = current.version
        return _render(project, 409, forms={"line": form}, edit_line=line_id, conflict={
            "what": "line", "message": exc.message, "by": last_change(current),
            "current": _("%(y)s: investering %(i)s, drift %(o)s", y=current.year,
                         i=format_nok(current.investment_nok), o=format_nok(current.operating_nok))
                       + (f" ({current.note})" if current.note else "")})
    message = _("Budsjettet for %(y)s er endret.", y=line.year) if changed else _("Ingen endringer å lagre.")
    return done(message, "plan.economy", anchor="economy-budget", project_id=project.id)


@bp.route("/economy/lines/<int:line_id>/delete", methods=["POST"])
@login_required
def delete_budget_line(project_id: int, line_id: int):
    project = load_project(project_id)
    require_edit(project.can_edit_plan(current_user))
    line = get_child_or_404(BudgetLine, project, line_id)
    EmptyForm().validate_on_submit()
    year = line.year
    operations.delete_line(project, line)
    return done(_("Budsjettet for %(y)s er slettet.", y=year), "plan.economy", anchor="economy-budget",
                project_id=project.id)


# --- financing ----------------------------------------------------------------------------
@bp.route("/economy/sources", methods=["POST"])
@login_required
def add_funding_source(project_id: int):
    project = load_project(project_id)
    require_edit(project.can_edit_plan(current_user))
    form = FundingSourceForm(prefix="source_")
    if not form.validate_on_submit():
        return _render(project, 422, forms={"new_source": form})
    operations.add_source(project, form.source.data, form.kind.data, form.amount_nok.data, form.status.data)
    return done(_("Finansieringen er lagt til."), "plan.economy", anchor="economy-financing",
                project_id=project.id)


@bp.route("/economy/sources/<int:source_id>", methods=["POST"])
@login_required
def update_funding_source(project_id: int, source_id: int):
    project = load_project(project_id)
    require_edit(project.can_edit_plan(current_user))
    row = get_child_or_404(FundingSource, project, source_id)
    form = FundingSourceForm(prefix="edit_source_")
    valid = form.validate_on_submit()
    try:
        check_version(row, form.version.data)
        if not valid:
            return _render(project, 422, forms={"source": form}, edit_source=row.id)
        changed = operations.update_source(project, row, form.source.data, form.kind.data,
                                         form.amount_nok.data, form.status.data)
    except StaleEdit as exc:
        current = exc.current
        form.version.data = current.version
        return _render(project, 409, forms={"source": form}, edit_source=source_id, conflict={
            "what": "source", "message": exc.message, "by": last_change(current),
            "current": f"{current.source}: {format_nok(current.amount_nok) if current.amount_nok is not None else '–'}"
                       f" ({_(current.status_label).lower()})"})
    return done(_("Finansieringen er endret.") if changed else _("Ingen endringer å lagre."),
                "plan.economy", anchor="economy-financing", project_id=project.id)


@bp.route("/economy/sources/<int:source_id>/delete", methods=["POST"])
@login_required
def delete_funding_source(project_id: int, source_id: int):
    project = load_project(project_id)
    require_edit(project.can_edit_plan(current_user))
    row = get_child_or_404(FundingSource, project, source_id)
    EmptyForm().validate_on_submit()
    operations.delete_source(project, row)
    return done(_("Finansieringen er fjernet."), "plan.economy", anchor="economy-financing",
                project_id=project.id)
