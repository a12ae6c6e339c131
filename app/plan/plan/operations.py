"""The plan tab's state changes, each with its audit event (the request commits once)."""
from __future__ import annotations

from flask_login import current_user

from app.audit import delete_recorded, record
from app.concurrency import saved_first
from app.extensions import db
from app.models import PlanGoal, PlanLink
from app.plan.common import StaleEdit
from app.plan.editing import save
from app.plan.plan.queries import get_or_add_plan, get_plan


def _same(a, b) -> bool:
    """Stored and typed values are equal ("" and None alike for texts)."""
    if isinstance(a, str) or isinstance(b, str):
        return (a or "") == (b or "")
    return a == b


def save_section(project, section: str, fields, form) -> list[str]:
    """Save one section's `fields` from `form` (the first save creates the plan); returns
    the names of the fields that changed. Raises StaleEdit (with the plan as it is now)
    when someone else saved, or created, the plan first."""
    plan = get_or_add_plan(project)
    changed = [name for name in fields if not _same(getattr(plan, name), form[name].data)]
    for name in changed:
        setattr(plan, name, form[name].data)
    if changed:
        plan.updated_by_id = current_user.id
    if not saved_first(plan):  # two first saves at once: the other one created the plan
        raise StaleEdit(get_plan(project))
    if changed:
        record("plan.section_saved", obj=plan, project_id=project.id, section=section, fields=changed)
    return changed


def add_goal(project, kind: str, text: str) -> PlanGoal:
    """Add an effektmål or a resultatmål at the end of its list."""
    last = db.session.execute(
        db.select(db.func.max(PlanGoal.position)).where(PlanGoal.project_id == project.id,
                                                       PlanGoal.kind == kind)).scalar()
    goal = PlanGoal(project_id=project.id, kind=kind, position=(last or 0) + 1, text=text)
    db.session.add(goal)
    db.session.flush()
    record("plan.goal_added", obj=goal, project_id=project.id, kind=kind, text=goal.text)
    return goal


def update_goal(project, goal: PlanGoal, text: str) -> None:
    """Change a goal's text; raises StaleEdit."""
    old = goal.text
    goal.text = text
    save(goal)
    record("plan.goal_updated", obj=goal, project_id=project.id, kind=goal.kind, text=goal.text,
           old_text=old)


def delete_goal(project, goal: PlanGoal) -> None:
    """Delete a goal."""
    delete_recorded(goal, "plan.goal_deleted", project_id=project.id, kind=goal.kind, text=goal.text)


def add_link(project, related_id: int, note: str) -> PlanLink | None:
    """Link a related project (grensesnitt); None (rolled back) when someone else linked it
    a moment ago."""
    link = PlanLink(project_id=project.id, related_project_id=related_id, note=note)
    db.session.add(link)
    if not saved_first():
        return None
    record("plan.link_added", obj=link, project_id=project.id, related_id=link.related_project_id,
           note=link.note)
    return link


def remove_link(project, link: PlanLink) -> None:
    """Remove a link to a related project."""
    delete_recorded(link, "plan.link_removed", project_id=project.id, related_id=link.related_project_id)
