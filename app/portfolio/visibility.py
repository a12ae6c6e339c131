"""Who sees which projects in lists: the SQL form of ``Project.can_view``.

Drafts never appear (their author finds them under "Mitt"); restricted ("Skjermet")
projects only for their own people (submitter, owner, manager, members), the portefolje
role and administrators. `openable_projects` is ``Project.can_view`` exactly (the
author's own drafts too), for deciding whether a row may link to its project.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from app.extensions import db

from app.models import Project, ProjectMember
from app.workflow import Stage


def sees_all_restricted(user) -> bool:
    """The portefolje role and administrators see every restricted project."""
    return bool(user.is_admin or user.has_role("portefolje"))


def visible_projects(user) -> ColumnElement[bool]:
    """A WHERE condition on Project: the projects `user` may see in lists.

    Drafts never (not even the author's: lists show submitted work only); restricted
    projects only for their own people, the portefolje role and administrators.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    not_draft = Project.stage != Stage.DRAFT.value
    if sees_all_restricted(user):
        return not_draft
    member = select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
    return and_(not_draft, or_(
        Project.restricted.is_(False),
        Project.submitted_by_id == user.id, Project.owner_id == user.id, Project.manager_id == user.id,
        Project.id.in_(member),
    ))


def openable_projects(user) -> ColumnElement[bool]:
    """A WHERE condition on Project, the SQL form of ``Project.can_view``: what `user` may
    see in lists, and their own drafts."""
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    own_draft = and_(Project.stage == Stage.DRAFT.value, Project.submitted_by_id == user.id)
    return or_(visible_projects(user), own_draft)


def openable_project_ids(user, projects: Iterable[Project]) -> set[int]:
    """Which of these projects `user` may open (their pages, not just a queue's rows).

    One query whenever there are projects at all, restricted ones among them or not, so a
    queue page runs the same number of statements however many are restricted."""
    ids = {p.id for p in projects}
    if not ids:
        return set()
    return set(db.session.execute(
        select(Project.id).where(Project.id.in_(ids), openable_projects(user))).scalars())


def visible_projects_query(user) -> Select:
    """``select(Project)`` of the projects `user` may see in lists (see visible_projects)."""
    return select(Project).where(visible_projects(user))


__all__ = ["openable_project_ids", "openable_projects", "sees_all_restricted", "visible_projects",
           "visible_projects_query"]
