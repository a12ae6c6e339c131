"""Views of the plan tab: the sections, the goals and the links to related projects."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from wtforms.fields.core import Label

from app import is_htmx
from app.audit import record
from app.extensions import db
from app.models import PlanGoal, PlanLink, Project
from app.plan import bp
from app.plan.common import StaleEdit, can_edit_plan, check_version, load_project, render_tab, require_edit
from app.plan.editing import EmptyForm, changed_fields, done, format_nok, last_change, save
from app.plan.plan.forms import SECTION_FORMS, GoalForm, LinkForm
from app.plan.plan.services import (CLOSING_STAGES, FIELD_LABELS, GOAL_LABELS, SECTIONS, get_or_add_plan, get_plan,
                                    goals_of, is_zero_alternative_described, linked_from, links_of,
                                    smart_hint)
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
    can_edit = can_edit_plan(project, current_user)
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
        can_edit=can_edit, zero_alternative_ok=is_zero_alternative_described(plan),
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
    can_edit = can_edit_plan(project, current_user)
    edit = request.args.get("edit")
    edit_goal = request.args.get("edit_goal", type=int)
    return render_tab("plan/plan.html", **_context(
        project, edit_section=edit if (can_edit and edit in SECTIONS) else None,
        edit_goal=edit_goal if can_edit else None))


# --- sections ------------------------------------------------------------------------------
def _section_response(project, code: str, status: int = 200, **kwargs):
    """One section (htmx) or the whole page with that section as asked."""
    ctx = _context(project, **kwargs)
    if is_htmx():
        return render_template("plan/_plan_section.html", section=SECTIONS[code], **ctx), status
    return render_template("plan/plan.html", **ctx), status


@bp.route("/plan/sections/<section>")
@login_required
def plan_section(project_id: int, section: str):
    """A section as text, or with `?edit=1` as a form."""
    if section not in SECTIONS:
        abort(404)
    project = load_project(project_id)
    editing = request.args.get("edit") == "1"
    if editing:
        require_edit(can_edit_plan(project, current_user))
    return _section_response(project, section, edit_section=section if editing else None)


def _check_plan_version(plan, submitted) -> None:
    """Like check_version; the form says 0 when there was no plan yet at loading."""
    if plan is not None:
        check_version(plan, submitted)
    elif not str(submitted or "").isdigit():
        abort(400)


def _same(a, b) -> bool:
    """Stored and typed values are equal ("" and None alike for texts)."""
    if isinstance(a, str) or isinstance(b, str):
        return (a or "") == (b or "")
    return a == b


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
    project = load_project(project_id)
    require_edit(can_edit_plan(project, current_user))
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
    plan = get_or_add_plan(project)
    changed = [name for name in fields if not _same(getattr(plan, name), form[name].data)]
    for name in changed:
        setattr(plan, name, form[name].data)
    if changed:
        plan.updated_by_id = current_user.id
    try:
        save(plan)
    except StaleEdit as exc:
        return _stale_section(project, section, form, exc)
    except IntegrityError:  # two first saves at once: the other one created the plan
        db.session.rollback()
        return _stale_section(project, section, form, StaleEdit(get_plan(project)))
    if changed:
        record("plan.section_saved", obj=plan, project_id=project.id, section=section, fields=changed)
    message = _("«%(s)s» er lagret.", s=SECTIONS[section].title) if changed else _("Ingen endringer å lagre.")
    if is_htmx():
        return _section_response(project, section, section_notice={section: message})
    return done(message, "plan.plan", anchor=f"plan-{section}", project_id=project.id)


# --- goals -----------------------------------------------------------------------------------
def _goal_or_404(project, goal_id: int) -> PlanGoal:
    goal = db.session.get(PlanGoal, goal_id)
    if goal is None or goal.project_id != project.id:
        abort(404)
    return goal


def _goals_response(project, status: int = 200, **kwargs):
    return render_tab("plan/plan.html", "goals", status, **_context(project, **kwargs))


def _goal_saved(project, message: str, goal_id: int | None = None):
    if is_htmx():
        return _goals_response(project, goal_notice=message)
    return done(message, "plan.plan", anchor=f"goal-{goal_id}" if goal_id else "plan-goals",
                project_id=project.id)


@bp.route("/plan/goals")
@login_required
def show_goals(project_id: int):
    """The goals; `?edit=<id>` opens one goal's form."""
    project = load_project(project_id)
    edit = request.args.get("edit", type=int)
    if edit is not None:
        require_edit(can_edit_plan(project, current_user))
    return _goals_response(project, edit_goal=edit)


@bp.route("/plan/goals/add/<kind>", methods=["POST"])
@login_required
def add_goal(project_id: int, kind: str):
    """Add an effektmål or a resultatmål at the end of its list."""
    if kind not in GOAL_LABELS:
        abort(404)
    project = load_project(project_id)
    require_edit(can_edit_plan(project, current_user))
    form = GoalForm(prefix=f"{kind}_new_")
    if not form.validate_on_submit():
        return _goals_response(project, 422, goal_forms={f"new-{kind}": form})
    last = db.session.execute(
        db.select(db.func.max(PlanGoal.position)).where(PlanGoal.project_id == project.id,
                                                       PlanGoal.kind == kind)).scalar()
    goal = PlanGoal(project_id=project.id, kind=kind, position=(last or 0) + 1, text=form.text.data)
    db.session.add(goal)
    db.session.flush()
    record("plan.goal_added", obj=goal, project_id=project.id, kind=kind, text=goal.text)
    return _goal_saved(project, _("Nytt %(k)s er lagt til.", k=GOAL_LABELS[kind][0]), goal.id)


@bp.route("/plan/goals/<int:goal_id>", methods=["POST"])
@login_required
def update_goal(project_id: int, goal_id: int):
    """Change a goal's text."""
    project = load_project(project_id)
    require_edit(can_edit_plan(project, current_user))
    goal = _goal_or_404(project, goal_id)
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
    old = goal.text
    goal.text = form.text.data
    try:
        save(goal)
    except StaleEdit as exc:
        form.version.data = exc.current.version
        return _goals_response(project, 409, edit_goal=goal.id, goal_forms={goal.id: form},
                               goal_conflict={"id": goal.id, "message": exc.message,
                                              "current": exc.current.text, "by": last_change(goal)})
    record("plan.goal_updated", obj=goal, project_id=project.id, kind=goal.kind, text=goal.text,
           old_text=old)
    return _goal_saved(project, _("Målet er endret."), goal.id)


@bp.route("/plan/goals/<int:goal_id>/delete", methods=["POST"])
@login_required
def delete_goal(project_id: int, goal_id: int):
    """Delete a goal (the page asks for confirmation first)."""
    project = load_project(project_id)
    require_edit(can_edit_plan(project, current_user))
    goal = _goal_or_404(project, goal_id)
    EmptyForm().validate_on_submit()
    record("plan.goal_deleted", obj=goal, project_id=project.id, kind=goal.kind, text=goal.text)
    db.session.delete(goal)
    db.session.flush()
    return _goal_saved(project, _("Målet er slettet."))


# --- related projects ------------------------------------------------------------------------
def _links_response(project, status: int = 200, **kwargs):
    return render_tab("plan/plan.html", "links", status, **_context(project, **kwargs))


@bp.route("/plan/links", methods=["POST"])
@login_required
def add_link(project_id: int):
    """Link a related project (grensesnitt) that this person can see."""
    project = load_project(project_id)
    require_edit(can_edit_plan(project, current_user))
    form = LinkForm()
    form.validate_on_submit()
    allowed = {pid for pid, _label in _link_choices(project, links_of(project))}
    if form.related.data not in allowed:
        form.related.errors = [_("Velg et prosjekt fra listen.")]
    if form.errors:
        return _links_response(project, 422, link_form=form)
    link = PlanLink(project_id=project.id, related_project_id=form.related.data, note=form.note.data)
    db.session.add(link)
    try:
        db.session.flush()
    except IntegrityError:  # linked by someone else a moment ago
        db.session.rollback()
        project = load_project(project_id)
        return _links_response(project, link_notice=_("Prosjektet var allerede lenket."))
    record("plan.link_added", obj=link, project_id=project.id, related_id=link.related_project_id,
           note=link.note)
    message = _("Lenken er lagt til.")
    if is_htmx():
        return _links_response(project, link_notice=message)
    return done(message, "plan.plan", anchor="plan-links", project_id=project.id)


@bp.route("/plan/links/<int:link_id>/delete", methods=["POST"])
@login_required
def remove_link(project_id: int, link_id: int):
    """Remove a link to a related project (the page asks for confirmation first)."""
    project = load_project(project_id)
    require_edit(can_edit_plan(project, current_user))
    link = db.session.get(PlanLink, link_id)
    if link is None or link.project_id != project.id:
        abort(404)
    EmptyForm().validate_on_submit()
    record("plan.link_removed", obj=link, project_id=project.id, related_id=link.related_project_id)
    db.session.delete(link)
    db.session.flush()
    message = _("Lenken er fjernet.")
    if is_htmx():
        return _links_response(project, link_notice=message)
    return done(message, "plan.plan", anchor="plan-links", project_id=project.id)
