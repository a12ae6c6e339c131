"""The milestones tab's routes: load, check `Project.can_edit_milestones`, call one
operation (operations.py), render templates/plan/milestones/tab.html (or its body for htmx)."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.models import Milestone
from app.plan import bp
from app.plan.common import (StaleEdit, check_version, delete_child, editable_project, get_child_or_404, load_project,
                             render_tab)
from app.plan.editing import answer, format_nok, last_change, resolve_person, today
from app.plan.milestones import operations
from app.plan.milestones.forms import DoneForm, MilestoneForm, edit_form, new_form
from app.plan.milestones.operations import NumberTaken
from app.plan.milestones.queries import milestones_of
from app.plan.milestones.timeline import SOON_DAYS, build, state_of
from app.plan.plan.queries import get_plan


def _context(project, *, edit_id: int | None = None, forms: dict | None = None,
             conflict: dict | None = None, notice: str = "") -> dict:
    items = milestones_of(project)
    now = today()
    plan = get_plan(project)
    forms = dict(forms or {})
    forms.setdefault("new", new_form(items))
    if edit_id is not None and "edit" not in forms:
        m = next((x for x in items if x.id == edit_id), None)
        if m is None:
            edit_id = None
        else:
            forms["edit"] = edit_form(m)
    states = {m.id: state_of(m.due_date, m.done_date, now) for m in items}
    return dict(
        project=project, active_tab="milestones", milestones=items, states=states, today=now,
        timeline=build(items, now, plan.start_date if plan else None, plan.end_date if plan else None),
        counts={s: sum(1 for v in states.values() if v == s) for s in ("done", "overdue", "soon", "planned")},
        soon_days=SOON_DAYS, edit_id=edit_id, forms=forms, conflict=conflict or {}, notice=notice,
        format_nok=format_nok,
    )


def _render(project, status: int = 200, **kwargs):
    return render_tab("plan/milestones/tab.html", "milestones_body", status, **_context(project, **kwargs))


def _saved(project, message: str, anchor: str = "milestones-table"):
    return answer("plan.milestones", project, message, anchor, lambda: _render(project, notice=message))


# --- routes ----------------------------------------------------------------------------
@bp.route("/milestones")
@login_required
def milestones(project_id: int):
    """The milestones as a timeline and a table; `?edit=<id>` opens one for editing."""
    project = load_project(project_id)
    edit = request.args.get("edit", type=int)
    if edit is not None and not project.can_edit_milestones(current_user):
        edit = None
    return _render(project, edit_id=edit)


def _check_fields(project, form, responsible_field, *, exclude_id: int | None = None):
    """Validation beyond the form: a known responsible person, a number not in use."""
    person = resolve_person(responsible_field)
    number = (form.number.data or "").lower()
    if number and any(m.number.lower() == number and m.id != exclude_id for m in milestones_of(project)):
        form.number.errors = [*form.number.errors, _("Nummeret %(n)s er allerede brukt.", n=form.number.data)]
    return person


def _changes(m: Milestone, form, person) -> dict:
    """What the form changes, as {field: new value} (for the audit record)."""
    new = {"number": form.number.data, "description": form.description.data,
           "responsible_username": person.username if person else "",
           "due_date": form.due_date.data, "done_date": form.done_date.data, "gate": form.gate.data or ""}
    old = {"number": m.number, "description": m.description,
           "responsible_username": m.responsible.username if m.responsible else "",
           "due_date": m.due_date, "done_date": m.done_date, "gate": m.gate or ""}
    return {k: v for k, v in new.items() if old[k] != v}


@bp.route("/milestones", methods=["POST"])
@login_required
def add_milestone(project_id: int):
    """Add a milestone."""
    project = editable_project(project_id, "can_edit_milestones")
    form = MilestoneForm(prefix="new_")
    form.validate_on_submit()
    person = _check_fields(project, form, form.responsible_username)
    if form.errors:
        return _render(project, 422, forms={"new": form})
    try:
        m = operations.add_milestone(project, form, person)
    except NumberTaken:  # the same number saved by someone else a moment ago
        form.number.errors = [_("Nummeret %(n)s er allerede brukt.", n=form.number.data)]
        return _render(load_project(project_id), 422, forms={"new": form})
    return _saved(project, _("Milepæl %(n)s er lagt til.", n=m.number), f"milestone-{m.id}")


@bp.route("/milestones/<int:milestone_id>", methods=["POST"])
@login_required
def update_milestone(project_id: int, milestone_id: int):
    """Save a milestone edited in its row."""
    project = editable_project(project_id, "can_edit_milestones")
    m = get_child_or_404(Milestone, project, milestone_id)
    form = edit_form(posted=True)
    form.validate_on_submit()
    try:
        check_version(m, form.version.data)
    except StaleEdit as exc:
        return _stale(project, m, form, exc)
    person = _check_fields(project, form, form.responsible_username, exclude_id=m.id)
    if form.errors:
        return _render(project, 422, edit_id=m.id, forms={"edit": form})
    changes = _changes(m, form, person)
    if not changes:
        return _saved(project, _("Ingen endringer å lagre."), f"milestone-{m.id}")
    try:
        operations.update_milestone(project, m, form, person, changes)
    except StaleEdit as exc:
        return _stale(project, exc.current, form, exc)
    except NumberTaken:
        form.number.errors = [_("Nummeret %(n)s er allerede brukt.", n=form.number.data)]
        return _render(load_project(project_id), 422, edit_id=milestone_id, forms={"edit": form})
    return _saved(project, _("Milepæl %(n)s er lagret.", n=m.number), f"milestone-{m.id}")


def _stale(project, m: Milestone, form, exc: StaleEdit):
    """409: show what is stored now beside what the person typed, and let them save again."""
    current = {"number": m.number, "description": m.description,
               "responsible_username": m.responsible.display_name if m.responsible else "",
               "due_date": m.due_date, "done_date": m.done_date}
    typed_person = (form.responsible_username.data or "").strip()
    differs = {}
    for name, value in current.items():
        if name == "responsible_username":
            stored = m.responsible.username if m.responsible else ""
            if stored != typed_person:
                differs[name] = value
        elif (getattr(form, name).data or None) != (value or None):
            differs[name] = value
    form.version.data = m.version
    return _render(project, 409, edit_id=m.id, forms={"edit": form}, conflict={
        "id": m.id, "message": exc.message, "fields": differs, "by": last_change(m)})


@bp.route("/milestones/<int:milestone_id>/done", methods=["POST"])
@login_required
def mark_milestone_done(project_id: int, milestone_id: int):
    """"Marker som nådd": the milestone is reached today."""
    project = editable_project(project_id, "can_edit_milestones")
    m = get_child_or_404(Milestone, project, milestone_id)
    form = DoneForm()
    form.validate_on_submit()
    try:
        check_version(m, form.version.data)
    except StaleEdit as exc:
        return _render(project, 409, conflict={"id": None, "message": exc.message, "fields": {},
                                               "by": last_change(m)})
    if m.done_date is not None:
        return _saved(project, _("Milepæl %(n)s er allerede nådd.", n=m.number), f"milestone-{m.id}")
    try:
        operations.mark_done(project, m)
    except StaleEdit as exc:
        return _render(load_project(project_id), 409, conflict={
            "id": None, "message": exc.message, "fields": {}, "by": last_change(exc.current)})
    return _saved(project, _("Milepæl %(n)s er markert som nådd.", n=m.number), f"milestone-{m.id}")


@bp.route("/milestones/<int:milestone_id>/delete", methods=["POST"])
@login_required
def delete_milestone(project_id: int, milestone_id: int):
    """Delete a milestone (the page asks for confirmation first)."""
    project, m = delete_child(project_id, Milestone, milestone_id, "can_edit_milestones", operations.delete_milestone)
    return _saved(project, _("Milepæl %(n)s er slettet.", n=m.number))
