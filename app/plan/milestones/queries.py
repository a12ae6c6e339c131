"""Reading the milestones: the tab's list and BP3's gate fact."""
from __future__ import annotations

from app.extensions import db
from app.models import Milestone
from app.plan.common import count_of


def milestones_of(project) -> list[Milestone]:
    """The project's milestones by due date."""
    return db.session.execute(
        db.select(Milestone).where(Milestone.project_id == project.id)
        .order_by(Milestone.due_date, Milestone.number)
    ).scalars().all()


def milestone_facts(project) -> dict:
    """BP3: the plan is broken into milestones."""
    return {"milestone_count": count_of(project, Milestone)}
