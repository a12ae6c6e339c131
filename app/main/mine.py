"""What the front page ("Mitt") shows: the signed-in person's own work.

Its cost follows the person's own work, not the portfolio: each "mine" is found through
its own index (owner, manager, submitter, member, requester) and the parts joined with
UNION, rather than one OR that the database can only answer by reading every project.
"""
from __future__ import annotations

from sqlalchemy import union
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import OPEN_STATUSES, GateRequest, Project, ProjectMember


def my_work(user) -> dict:
    """Decisions waiting for me, my requests, my ideas and drafts, my projects by role."""
    owned = db.select(Project.id).where(Project.owner_id == user.id)
    mine = union(
        db.select(GateRequest.id).where(GateRequest.project_id.in_(owned), GateRequest.status.in_(OPEN_STATUSES)),
        db.select(GateRequest.id).where(GateRequest.requested_by_id == user.id,
                                        GateRequest.status.in_(OPEN_STATUSES)))
    open_requests = db.session.execute(
        db.select(GateRequest).join(Project)
        .where(GateRequest.id.in_(mine))
        .options(joinedload(GateRequest.project).joinedload(Project.owner),
                 joinedload(GateRequest.requested_by))
        .order_by(GateRequest.requested_at)
    ).scalars().all()
    waiting_for_me = [r for r in open_requests if r.project.owner_id == user.id]
    my_requests = [r for r in open_requests if r.project.owner_id != user.id]

    in_a_role = union(
        db.select(Project.id).where(Project.submitted_by_id == user.id),
        db.select(Project.id).where(Project.owner_id == user.id),
        db.select(Project.id).where(Project.manager_id == user.id),
        db.select(ProjectMember.project_id).where(ProjectMember.user_id == user.id))
    projects = db.session.execute(
        db.select(Project)
        .where(Project.id.in_(in_a_role))
        .options(joinedload(Project.owner), joinedload(Project.manager),
                 selectinload(Project.members))
        .order_by(Project.updated_at.desc())
    ).unique().scalars().all()
    drafts = [p for p in projects if p.stage == "draft" and p.submitted_by_id == user.id]
    ideas = [p for p in projects if p.stage == "idea" and p.submitted_by_id == user.id]
    by_role = {"owner": [], "manager": [], "member": [], "submitter": []}
    for p in projects:
        if p.stage == "draft":  # someone else's draft naming me as owner is still private
            continue
        if p.owner_id == user.id:  # (proposed) owner, also of ideas not yet requested
            by_role["owner"].append(p)
        elif p.manager_id == user.id:
            by_role["manager"].append(p)
        elif any(m.user_id == user.id for m in p.members):
            by_role["member"].append(p)
        elif p.submitted_by_id == user.id and p.stage != "idea":
            # my idea went on (or ended) without me in a role: I still follow it
            by_role["submitter"].append(p)
    return {"waiting_for_me": waiting_for_me, "my_requests": my_requests, "drafts": drafts,
            "ideas": ideas, "by_role": by_role}
