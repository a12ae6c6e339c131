"""The plan tab's routes: the sections, the goals and the links to related projects.

Every route loads, checks `Project.can_edit_plan`, calls one operation (operations.py)
and renders templates/plan/plan/tab.html (or one of its blocks for htmx)."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.core import Label

from app import is_htmx
from app.extensions import db
from app.forms import EmptyForm
from app.models import PlanGoal, PlanLink, Project
from app.plan import bp
from app.plan.common import (StaleEdit, check_version, delete_child, editable_project, get_child_or_404,
                             load_project, render_tab, require_edit)
from app.plan.editing import answer, changed_fields, format_nok, last_change
from app.plan.plan import operations
from app.plan.plan.forms import SECTION_FORMS, GoalForm, LinkForm
from app.plan.plan.queries import (CLOSING_STAGES, FIELD_LABELS, GOAL_LABELS, SECTIONS, get_plan, goals_of,
                                   is_zero_alternative_described, linked_from, links_of, smart_hint)
from app.projects.routes import visible_projects_query


# --- the page ------------------------------------------------------------------------------
def _section_form(code: str, plan, formdata=None):
    form = SECTION_FORMS[code](obj=plan, formdata=formdata)
    form.version.data = plan.version if plan else 0
    return form


def _link_choices(project, links) -> list[tuple[int, str]]:
    """Projects this person can see and that are not linked yet."""
    taken = {link.related_project_id for link in links} | {project.id}
    rows = db.session.execute(
        visible_projects_query(current_user).order_by(Project.title)).scalars().all()
    return [(p.id, _("%(t)s (nr. %(n)s)", t=p.title, n=p.id)) for p in rows if p.id not in taken]


def _context(project, *, edit_section: str | None = None, section_forms: dict | None = None,
             conflict: dict | None = None, section_notice: dict | None = None,
             edit_goal: int | None = None, goal_forms: dict | None = None,
             goal_conflict: dict | None = None, goal_notice: str = "",
             link_form=None, link_notice: str = "") -> dict:
    plan = get_plan(project)
    can_edit = project.can_edit_plan(current_user)
    section_forms = dict(section_forms or {})
    if edit_section and edit_section not in section_forms:
        section_forms[edit_section] = _section_form(edit_section, plan)
    goals = goals_of(project)
    goal_forms = dict(goal_forms or {})
    for kind in GOAL_LABELS:
        goal_forms.setdefault(f"new-{kind}", GoalForm(prefix=f"{kind}_new_", formdata=None))
        _label(goal_forms[f"new-{kind}"].text, _("Nytt %(k)s", k=GOAL_LABELS[kind][0]))
    if edit_goal is not None and edit_goal not in goal_forms:
        goal = next((g for gs in goals.values() for g in gs if g.id == edit_goal), None)
        if goal is None:
            edit_goal = None
        else:
            goal_forms[edit_goal] = GoalForm(prefix="goal_edit_", formdata=None, obj=goal)
            goal_forms[edit_goal].version.data = goal.version
    if edit_goal is not None:
        _label(goal_forms[edit_goal].text, _("Endre målet"))
    links = links_of(project)
    link_form = link_form or LinkForm(formdata=None)
    if can_edit:
        link_form.related.choices = [(0, _("Velg prosjekt"))] + _link_choices(project, links)
    return dict(
        project=project, active_tab="plan", plan=plan, sections=SECTIONS, field_labels=FIELD_LABELS,
        edit_section=edit_section, section_forms=section_forms, conflict=conflict or {},
        section_notice=section_notice or {},
        goals=goals, goal_labels=GOAL_LABELS, edit_goal=edit_goal, goal_forms=goal_forms,
        goal_conflict=goal_conflict or {}, goal_notice=goal_notice, smart_hint=smart_hint,
        links=[(link, link.related_project.can_view(current_user)) for link in links],
        incoming=[link for link in linked_from(project) if _visible(link.project_id)],
        link_form=link_form, link_notice=link_notice,
        zero_alternative_ok=is_zero_alternative_described(plan),
        format_nok=format_nok, delete_form=EmptyForm(), closing_stages=CLOSING_STAGES,
    )


def _label(field, text: str) -> None:
    field.label = Label(field.id, text)


def _visible(project_id: int) -> bool:
    other = db.session.get(Project, project_id)
    return other is not None and other.stage != "draft" and other.can_view(current_user)


@bp.route("/plan")
@login_required
def plan(project_id: int):
    """The project plan. `?edit=<section>` opens a section's form (works without JavaScript),
    `?edit_goal=<id>` a goal's."""
    project = load_project(project_id)
    can_edit = project.can_edit_plan(current_user)
    edit = request.args.get("edit")
    edit_goal = request.args.get("edit_goal", type=int)
    return render_tab("plan/plan/tab.html", **_context(
        project, edit_section=edit if (can_edit and edit in SECTIONS) else None,
        edit_goal=edit_goal if can_edit else None))


# --- sections ------------------------------------------------------------------------------
def _section_response(project, code: str, status: int = 200, **kwargs):
    """One section (htmx) or the whole page with that section as asked."""
    ctx = _context(project, **kwargs)
    if is_htmx():
        return render_template("plan/plan/_section.html", section=SECTIONS[code], **ctx), status
    return render_template("plan/plan/tab.html", **ctx), status


@bp.route("/plan/sections/<section>")
@login_required
def plan_section(project_id: int, section: str):
    """A section as text, or with `?edit=1` as a form."""
    if section not in SECTIONS:
        abort(404)
    project = load_project(project_id)
    editing = request.args.get("edit") == "1"
    if editing:
        require_edit(project.can_edit_plan(current_user))
    return _section_response(project, section, edit_section=section if editing else None)


def _check_plan_version(plan, submitted) -> None:
    """Like check_version; the form says 0 when there was no plan yet at loading."""
    if plan is not None:
        check_version(plan, submitted)
    elif not str(submitted or "").isdigit():
        abort(400)


def _stale_section(project, code, form, exc: StaleEdit):
    plan = exc.current
    form.version.data = plan.version
    conflict = {"section": code, "message": exc.message,
                "fields": changed_fields(form, plan, SECTIONS[code].fields),
                "by": last_change(plan)}
    return _section_response(project, code, 409, edit_section=code, section_forms={code: form},
                             conflict=conflict)


@bp.route("/plan/sections/<section>", methods=["POST"])
@login_required
def save_plan_section(project_id: int, section: str):
    """Save one section of the plan."""
    if section not in SECTIONS:
        abort(404)
    project = editable_project(project_id, "can_edit_plan")
    fields = SECTIONS[section].fields
    form = SECTION_FORMS[section]()
    valid = form.validate_on_submit()
    plan = get_plan(project)
    try:
        _check_plan_version(plan, form.version.data)
    except StaleEdit as exc:
        return _stale_section(project, section, form, exc)
    if not valid:
        return _section_response(project, section, 422, edit_section=section,
                                 section_forms={section: form})
    try:
        changed = operations.save_section(project, section, fields, form)
    except StaleEdit as exc:
        return _stale_section(project, section, form, exc)
    message = _("«%(s)s» er lagret.", s=SECTIONS[section].title) if changed else _("Ingen endringer å lagre.")
    return answer("plan.plan", project, message, f"plan-{section}",
                  lambda: _section_response(project, section, section_notice={section: message}))


# --- goals -----------------------------------------------------------------------------------
def _goals_response(project, status: int = 200, **kwargs):
    return render_tab("plan/plan/tab.html", "goals", status, **_context(project, **kwargs))


def _goal_saved(project, message: str, goal_id: int | None = None):
    return answer("plan.plan", project, message, f"goal-{goal_id}" if goal_id else "plan-goals",
                  lambda: _goals_response(project, goal_notice=message))


@bp.route("/plan/goals")
@login_required
def show_goals(project_id: int):
    """The goals; `?edit=<id>` opens one goal's form."""
    project = load_project(project_id)
    edit = request.args.get("edit", type=int)
    if edit is not None:
        require_edit(project.can_edit_plan(current_user))
    return _goals_response(project, edit_goal=edit)


@bp.route("/plan/goals/add/<kind>", methods=["POST"])
@login_required
def add_goal(project_id: int, kind: str):
    """Add an effektmål or a resultatmål at the end of its list."""
    if kind not in GOAL_LABELS:
        abort(404)
    project = editable_project(project_id, "can_edit_plan")
    form = GoalForm(prefix=f"{kind}_new_")
    if not form.validate_on_submit():
        return _goals_response(project, 422, goal_forms={f"new-{kind}": form})
    goal = operations.add_goal(project, kind, form.text.data)
    return _goal_saved(project, _("Nytt %(k)s er lagt til.", k=GOAL_LABELS[kind][0]), goal.id)


@bp.route("/plan/goals/<int:goal_id>", methods=["POST"])
@login_required
def update_goal(project_id: int, goal_id: int):
    """Change a goal's text."""
    project = editable_project(project_id, "can_edit_plan")
    goal = get_child_or_404(PlanGoal, project, goal_id)
    form = GoalForm(prefix="goal_edit_")
    valid = form.validate_on_submit()
    try:
        check_version(goal, form.version.data)
    except StaleEdit as exc:
        form.version.data = goal.version
        return _goals_response(project, 409, edit_goal=goal.id, goal_forms={goal.id: form},
                               goal_conflict={"id": goal.id, "message": exc.message,
                                              "current": goal.text, "by": last_change(goal)})
    if not valid:
        return _goals_response(project, 422, edit_goal=goal.id, goal_forms={goal.id: form})
    if form.text.data == goal.text:
        return _goal_saved(project, _("Ingen endringer å lagre."), goal.id)
    try:
        operations.update_goal(project, goal, form.text.data)
    except StaleEdit as exc:
        form.version.data = exc.current.version
        return _goals_response(project, 409, edit_goal=goal.id, goal_forms={goal.id: form},
                               goal_conflict={"id": goal.id, "message": exc.message,
                                              "current": exc.current.text, "by": last_change(goal)})
    return _goal_saved(project, _("Målet er endret."), goal.id)


@bp.route("/plan/goals/<int:goal_id>/delete", methods=["POST"])
@login_required
def delete_goal(project_id: int, goal_id: int):
    """Delete a goal (the page asks for confirmation first)."""
    project, _goal = delete_child(project_id, PlanGoal, goal_id, "can_edit_plan", operations.delete_goal)
    return _goal_saved(project, _("Målet er slettet."))


# --- related projects ------------------------------------------------------------------------
def _links_response(project, status: int = 200, **kwargs):
    return render_tab("plan/plan/tab.html", "links", status, **_context(project, **kwargs))


def _links_saved(project, message: str):
    return answer("plan.plan", project, message, "plan-links", lambda: _links_response(project, link_notice=message))


@bp.route("/plan/links", methods=["POST"])
@login_required
def add_link(project_id: int):
    """Link a related project (grensesnitt) that this person can see."""
    project = editable_project(project_id, "can_edit_plan")
    form = LinkForm()
    form.validate_on_submit()
    allowed = {pid for pid, _label in _link_choices(project, links_of(project))}
    if form.related.data not in allowed:
        form.related.errors = [_("Velg et prosjekt fra listen.")]
    if form.errors:
        return _links_response(project, 422, link_form=form)
    if operations.add_link(project, form.related.data, form.note.data) is None:  # linked a moment ago
        return _links_response(load_project(project_id), link_notice=_("Prosjektet var allerede lenket."))
    return _links_saved(project, _("Lenken er lagt til."))


@bp.route("/plan/links/<int:link_id>/delete", methods=["POST"])
@login_required
def remove_link(project_id: int, link_id: int):
    """Remove a link to a related project (the page asks for confirmation first)."""
    project, _link = delete_child(project_id, PlanLink, link_id, "can_edit_plan", operations.remove_link)
    return _links_saved(project, _("Lenken er fjernet."))
