"""What the IKT work queue shows: the task filter from the URL, and the two queries.

The filter lives in the query string (`?status=open&kind=access&sort=due&dir=desc`) so a
view can be bookmarked and shared; unknown values fall back to the default rather than
fail. The task query builds on `app.plan.tasks.queries.tasks_query`, the same one the
project's tasks tab uses, with the queue's own visibility rule (`visible_in_queue`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, case, exists, false, or_, select
from sqlalchemy.orm import aliased, joinedload

from app.paging import UrlFilter, contains, is_number, page_number
from app.models import Project, ProjectMember, User
from app.models.task import TASK_KIND_CODES, TASK_KINDS, TechnicalTask
from app.plan.common import CLOSED_STAGES
from app.plan.editing import today
from app.plan.tasks.queries import tasks_query
from app.portfolio.visibility import openable_projects, visible_projects

#: status filter values: "" is the default, the tasks still to do in running projects
STATUS_FILTERS = ("", "open", "in_progress", "done", "all")
#: assignee filter values besides a user id
ASSIGNEE_FILTERS = ("", "me", "none")
#: due-date filter values
DUE_FILTERS = ("", "overdue", "week", "none")
#: sortable columns
SORTS = ("due", "status", "kind", "assignee", "project", "title")
#: tasks per page
PER_PAGE = 50
#: projects per page in the "needs IKT" list
NEEDS_PER_PAGE = 20
#: stages in which a project no longer asks anything of IKT (drafts are never shown)
NOT_RUNNING = ("draft", *CLOSED_STAGES)


@dataclass(frozen=True)
class TaskFilter(UrlFilter):
    """The IKT queue's filter, sort and page, as read from the URL."""

    status: str = ""
    kind: str = ""
    #: "", "me", "none" or a user id
    assignee: str = ""
    due: str = ""
    #: free text matched against the project's title, or a project number
    project: str = ""
    sort: str = "due"
    dir: str = "asc"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> TaskFilter:
        """Read the filter from request.args; unknown values mean "no filter"."""
        def pick(name, allowed, default=""):
            value = (args.get(name) or "").strip()
            return value if value in allowed else default

        assignee = (args.get("assignee") or "").strip()
        if assignee not in ASSIGNEE_FILTERS and not is_number(assignee):
            assignee = ""
        return cls(
            status=pick("status", STATUS_FILTERS), kind=pick("kind", TASK_KIND_CODES),
            assignee=assignee, due=pick("due", DUE_FILTERS),
            project=(args.get("project") or "").strip()[:200],
            sort=pick("sort", SORTS, "due"), dir=pick("dir", ("asc", "desc"), "asc"),
            page=page_number(args.get("page")),
        )

    def sort_args(self, column: str) -> dict:
        """The URL parameters for a click on a column header: the same column again turns
        the order around."""
        direction = "desc" if self.sort == column and self.dir == "asc" else "asc"
        return self.args(sort=column, dir=direction)


def _sort_key(column: str, assignee_alias):
    """The primary ORDER BY expression of a sortable column."""
    if column == "status":
        return case({"open": 0, "in_progress": 1, "done": 2}, value=TechnicalTask.status, else_=3)
    if column == "kind":
        return case({code: i for i, (code, _l) in enumerate(TASK_KINDS)}, value=TechnicalTask.kind,
                    else_=len(TASK_KINDS))
    if column == "assignee":
        return assignee_alias.display_name
    if column == "project":
        return Project.title_key
    if column == "title":
        return TechnicalTask.title
    return TechnicalTask.due_date


def visible_in_queue(user: User):
    """The one rule for which projects' tasks the IKT queue shows `user`: a WHERE condition
    on Project, used by the task list and a task's own page (the needs list names projects,
    so it keeps `needs_visible`).

    The SQL form of ``Project.can_see_ikt_tasks_of``: people in IKT see the tasks of every
    submitted project, restricted or not (they are the IKT department's work); everyone
    else those of what they may view."""
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    if user.has_role("ikt"):
        return Project.stage != "draft"
    return openable_projects(user)


def needs_visible(user: User):
    """Which projects the needs list may name: only those `user` may open, since the list
    is about the project itself, not a task ordered from IKT."""
    return visible_projects(user)


def queue_query(user: User, f: TaskFilter) -> Select:
    """Technical tasks of the projects `user` may see, filtered and sorted by `f`, with
    project, owner, manager, assignee and creator loaded eagerly."""
    statuses = {"": ("open", "in_progress"), "open": ("open",), "in_progress": ("in_progress",),
                "done": ("done",), "all": None}[f.status]
    assignee_id, unassigned = None, False
    if f.assignee == "me":
        assignee_id = user.id
    elif f.assignee == "none":
        unassigned = True
    elif f.assignee:
        assignee_id = int(f.assignee)
    query = tasks_query(statuses=statuses, kinds=(f.kind,) if f.kind else None,
                        assignee_id=assignee_id, unassigned=unassigned).where(visible_in_queue(user))
    # What is still to do belongs to running projects; history shows everything but drafts.
    query = query.where(Project.stage.not_in(NOT_RUNNING if f.status == "" else ("draft",)))

    now = today()
    if f.due == "overdue":
        query = query.where(TechnicalTask.due_date < now, TechnicalTask.status != "done")
    elif f.due == "week":
        query = query.where(TechnicalTask.due_date >= now, TechnicalTask.due_date <= now + timedelta(days=7))
    elif f.due == "none":
        query = query.where(TechnicalTask.due_date.is_(None))
    if f.project:
        # Only titles the person may see: a restricted project's task must not be found by
        # a word of its hidden title (issue 8: IKT sees the task, never the project).
        like = and_(openable_projects(user), Project.title.ilike(contains(f.project), escape="\\"))
        number = f.project.lstrip("#")
        query = query.where(or_(Project.id == int(number), like) if is_number(number) else like)

    assignee_alias = aliased(User)
    if f.sort == "assignee":
        query = query.outerjoin(assignee_alias, assignee_alias.id == TechnicalTask.assignee_id)
    if f.sort == "due" and f.dir == "asc":
        # The default view, in the order of ix_technical_task_due (no date last): the
        # database walks that index and stops after one page.
        return query.order_by(None).order_by(TechnicalTask.due_date.is_(None), TechnicalTask.due_date,
                                             TechnicalTask.id)
    key = _sort_key(f.sort, assignee_alias)
    ordered = key.desc() if f.dir == "desc" else key.asc()
    if f.sort == "project":
        # Project by project, in the order of ix_project_sort_title: the database walks
        # that index and sorts only each project's own few tasks.
        project_id = Project.id.desc() if f.dir == "desc" else Project.id.asc()
        return query.order_by(None).order_by(ordered, project_id, TechnicalTask.due_date.is_(None),
                                             TechnicalTask.due_date, TechnicalTask.id)
    # Rows without a value (no due date, nobody assigned) come last either way.
    tail = [key.is_(None)] if f.sort in ("due", "assignee") else []
    return query.order_by(None).order_by(
        *tail, ordered, TechnicalTask.due_date.is_(None), TechnicalTask.due_date, TechnicalTask.id)


def needs_ikt_query(user: User) -> Select:
    """Running projects `user` may see that answered they need IKT help and have no
    teknisk ansvarlig yet: the ones waiting longest first."""
    has_lead = exists().where(ProjectMember.project_id == Project.id, ProjectMember.role == "technical_lead")
    return (
        select(Project)
        .where(needs_visible(user), Project.stage.not_in(NOT_RUNNING), Project.needs_ikt == "yes", ~has_lead)
        .options(joinedload(Project.owner), joinedload(Project.manager))
        .order_by(Project.submitted_at.is_(None), Project.submitted_at, Project.id)  # ix_project_needs_ikt
    )


def is_overdue(task: TechnicalTask, on: date | None = None) -> bool:
    return task.is_overdue(on or today())
