"""The economy tab's routes (load, check `Project.can_edit_plan`, call one operation in
operations.py, render). Plain forms that post and redirect; a refused save shows the
page again with the errors and what was typed, a stale one answers 409 with the values
stored now."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import login_required

from app.models.economy import BudgetLine, FundingSource
from app.plan import bp
from app.plan.common import StaleEdit, check_version, editable_project, get_child_or_404, load_project, render_tab
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
                format_nok=format_nok, delete_form=EmptyForm())


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


# --- saving and deleting a row -------------------------------------------------------------
def _save_row(project_id: int, model, row_id: int, kind: str, form_class, update, *, shown, saved,
              check=None):
    """Save an edited budget line or funding source (`kind` "line" or "source", its form
    posted with the prefix edit_<kind>_): a form based on an older version gets 409 with
    the row as it is now (`shown(row)`), one with errors 422 (`check(project, form, row)`
    adds the errors beyond the form's own), a valid one `update(project, row, form)` and
    back to the tab with `saved(row)` (or "nothing to save")."""
    project = editable_project(project_id, "can_edit_plan")
    row = get_child_or_404(model, project, row_id)
    form = form_class(prefix=f"edit_{kind}_")
    valid = form.validate_on_submit()
    edit = {f"edit_{kind}": row_id}
    try:
        check_version(row, form.version.data)
        if check is not None:
            check(project, form, row)
        if not valid or form.errors:
            return _render(project, 422, forms={kind: form}, **edit)
        changed = update(project, row, form)
    except StaleEdit as exc:
        current = exc.current
        form.version.data = current.version
        return _render(project, 409, forms={kind: form}, **edit, conflict={
            "what": kind, "message": exc.message, "by": last_change(current), "current": shown(current)})
    return done(saved(row) if changed else _("Ingen endringer å lagre."), "plan.economy", anchor=ANCHORS[kind],
                project_id=project.id)


def _delete_row(project_id: int, model, row_id: int, kind: str, delete, message):
    """Delete a budget line or funding source (the page asks first); `message(row)` tells."""
    project = editable_project(project_id, "can_edit_plan")
    row = get_child_or_404(model, project, row_id)
    EmptyForm().validate_on_submit()
    told = message(row)
    delete(project, row)
    return done(told, "plan.economy", anchor=ANCHORS[kind], project_id=project.id)


#: where on the tab each kind of row is
ANCHORS = {"line": "economy-budget", "source": "economy-financing"}


# --- budget lines -------------------------------------------------------------------------
def _check_year(project, form, line=None) -> None:
    exclude_id = line.id if line is not None else None
    if form.year.data is not None and not form.year.errors and \
            year_taken(project, form.year.data, exclude_id):
        form.year.errors = [*form.year.errors, _("Det finnes allerede et budsjett for %(y)s. Endre det i stedet.",
                                                  y=form.year.data)]


def _line_shown(line) -> str:
    return _("%(y)s: investering %(i)s, drift %(o)s", y=line.year, i=format_nok(line.investment_nok),
             o=format_nok(line.operating_nok)) + (f" ({line.note})" if line.note else "")


@bp.route("/economy/lines", methods=["POST"])
@login_required
def add_budget_line(project_id: int):
    project = editable_project(project_id, "can_edit_plan")
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
    return _save_row(project_id, BudgetLine, line_id, "line", BudgetLineForm, check=_check_year, shown=_line_shown,
                     update=lambda project, line, f: operations.update_line(
                         project, line, f.year.data, f.investment_nok.data, f.operating_nok.data, f.note.data),
                     saved=lambda line: _("Budsjettet for %(y)s er endret.", y=line.year))


@bp.route("/economy/lines/<int:line_id>/delete", methods=["POST"])
@login_required
def delete_budget_line(project_id: int, line_id: int):
    return _delete_row(project_id, BudgetLine, line_id, "line", operations.delete_line,
                       lambda line: _("Budsjettet for %(y)s er slettet.", y=line.year))


# --- financing ----------------------------------------------------------------------------
def _source_shown(row) -> str:
    amount = format_nok(row.amount_nok) if row.amount_nok is not None else "–"
    return f"{row.source}: {amount} ({_(row.status_label).lower()})"


@bp.route("/economy/sources", methods=["POST"])
@login_required
def add_funding_source(project_id: int):
    project = editable_project(project_id, "can_edit_plan")
    form = FundingSourceForm(prefix="source_")
    if not form.validate_on_submit():
        return _render(project, 422, forms={"new_source": form})
    operations.add_source(project, form.source.data, form.kind.data, form.amount_nok.data, form.status.data)
    return done(_("Finansieringen er lagt til."), "plan.economy", anchor="economy-financing",
                project_id=project.id)


@bp.route("/economy/sources/<int:source_id>", methods=["POST"])
@login_required
def update_funding_source(project_id: int, source_id: int):
    return _save_row(project_id, FundingSource, source_id, "source", FundingSourceForm, shown=_source_shown,
                     update=lambda project, row, f: operations.update_source(
                         project, row, f.source.data, f.kind.data, f.amount_nok.data, f.status.data),
                     saved=lambda row: _("Finansieringen er endret."))


@bp.route("/economy/sources/<int:source_id>/delete", methods=["POST"])
@login_required
def delete_funding_source(project_id: int, source_id: int):
    return _delete_row(project_id, FundingSource, source_id, "source", operations.delete_source,
                       lambda row: _("Finansieringen er fjernet."))
