"""Reading technical tasks and the privacy assessment: the tab's lists, the tasks query,
the gate fact and the history sentences. (Who may do what: `Project.can_edit_tasks`,
`can_work_tasks`, `can_assess_privacy` and `TechnicalTask.can_work` in app/models; the
state changes are in operations.py.)

`tasks_query` returns a SELECT of tasks with the related rows eagerly loaded, to be
filtered further and run by the caller: the tab and the IKT queue (`app/ikt/queries.py`)
both build on it. The privacy queue's query is in `app/privacy/queries.py`."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Project, User
from app.models.task import (DPIA_CHOICES, TASK_KINDS, TASK_STATUS_CODES, TASK_STATUSES,
                             PrivacyAssessment, TechnicalTask)

KIND_LABELS = {code: _l(label) for code, label in TASK_KINDS}
STATUS_LABELS = {code: _l(label) for code, label in TASK_STATUSES}
DPIA_LABELS = {code: _l(label) for code, label in DPIA_CHOICES}


# --- loading ------------------------------------------------------------------------------
def tasks_for(project: Project) -> list[TechnicalTask]:
    """The project's tasks: not done first, then by due date."""
    tasks = list(db.session.execute(tasks_query(project_ids=[project.id])).scalars())
    return sorted(tasks, key=lambda t: (t.status == "done", t.due_date is None, t.due_date or date.max, t.id))


def assessment_for(project: Project) -> PrivacyAssessment | None:
    return db.session.execute(
        select(PrivacyAssessment).where(PrivacyAssessment.project_id == project.id)
        .options(joinedload(PrivacyAssessment.updated_by))
    ).scalar_one_or_none()


def ikt_users() -> list[User]:
    """Everyone known to Faseport with the IKT role (those who have signed in or been
    picked once), by name: the people a task can be assigned to."""
    candidates = db.session.execute(
        select(User).where(User.roles_text.contains("ikt")).order_by(User.display_name)
    ).scalars()
    return [u for u in candidates if u.has_role("ikt")]


def progress(tasks: Iterable[TechnicalTask]) -> dict:
    """Counts per status, the total, and the share done in whole per cent."""
    counts = {code: 0 for code in TASK_STATUS_CODES}
    for t in tasks:
        counts[t.status] = counts.get(t.status, 0) + 1
    total = sum(counts.values())
    return {"counts": counts, "total": total,
            "done_percent": round(100 * counts["done"] / total) if total else 0}


# --- the gate fact ----------------------------------------------------------------------
def tasks_facts(project: Project) -> dict:
    """`dpia_status`: the code of the project's assessment ("ikke_vurdert" when none)."""
    status = db.session.execute(
        select(PrivacyAssessment.dpia_status).where(PrivacyAssessment.project_id == project.id)
    ).scalar_one_or_none()
    return {"dpia_status": status or "ikke_vurdert"}


# --- the tasks query, for the tab and the IKT queue -----------------------------------------
def task_loads() -> tuple:
    """What a task is shown with: its project (with owner and manager), assignee and creator."""
    return (joinedload(TechnicalTask.project).joinedload(Project.owner),
            joinedload(TechnicalTask.project).joinedload(Project.manager),
            joinedload(TechnicalTask.assignee), joinedload(TechnicalTask.created_by))


def tasks_query(*, project_ids: Iterable[int] | None = None, statuses: Iterable[str] | None = None,
                kinds: Iterable[str] | None = None, assignee_id: int | None = None,
                unassigned: bool = False, due_before: date | None = None) -> Select:
    """A SELECT of TechnicalTask with the project (and its owner and manager), the
    assignee and the creator eagerly loaded, ordered by due date (none last) and id.

    Every filter is optional: `project_ids`, `statuses` (e.g. ("open", "in_progress")),
    `kinds` (TASK_KIND_CODES), `assignee_id`, `unassigned=True` for tasks nobody has
    taken and `due_before` for overdue lists (the IKT queue adds its own visibility rule,
    `app.ikt.queries.visible_in_queue`). Run it with
    ``db.session.execute(tasks_query(...)).scalars()``; add ``.limit()`` or more
    ``.where()`` as needed.
    """
    query = (
        select(TechnicalTask).join(Project, Project.id == TechnicalTask.project_id).options(*task_loads())
        .order_by(TechnicalTask.due_date.is_(None), TechnicalTask.due_date, TechnicalTask.id)
    )
    if project_ids is not None:
        query = query.where(TechnicalTask.project_id.in_(list(project_ids)))
    if statuses is not None:
        query = query.where(TechnicalTask.status.in_(list(statuses)))
    if kinds is not None:
        query = query.where(TechnicalTask.kind.in_(list(kinds)))
    if assignee_id is not None:
        query = query.where(TechnicalTask.assignee_id == assignee_id)
    if unassigned:
        query = query.where(TechnicalTask.assignee_id.is_(None))
    if due_before is not None:
        query = query.where(TechnicalTask.due_date < due_before)
    return query


# --- the history tab ----------------------------------------------------------------------
def describe_tasks_event(event) -> str | None:
    """Norwegian sentences for the tasks' and the privacy assessment's audit events."""
    action = event.action
    if not (action.startswith("technical_task.") or action == "privacy.assessed"):
        return None
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    title = d.get("title", "")
    if action == "technical_task.created":
        kind = KIND_LABELS.get(d.get("kind"))
        return _("%(who)s la til IKT-oppgaven «%(t)s»%(k)s.", who=who, t=title,
                 k=f" ({str(kind).lower()})" if kind else "")
    if action == "technical_task.updated":
        return _("%(who)s endret IKT-oppgaven «%(t)s».", who=who, t=title)
    if action == "technical_task.deleted":
        return _("%(who)s slettet IKT-oppgaven «%(t)s».", who=who, t=title)
    if action == "technical_task.worked":
        parts = []
        if d.get("status") != d.get("status_from") and d.get("status") in STATUS_LABELS:
            parts.append(_("satte status til «%(s)s»", s=str(STATUS_LABELS[d["status"]])))
        if d.get("assignee") != d.get("assignee_from"):
            parts.append(_("satte %(n)s som ansvarlig", n=d["assignee"]) if d.get("assignee")
                         else _("fjernet ansvarlig"))
        return _("%(who)s %(what)s for IKT-oppgaven «%(t)s».", who=who,
                 what=_(" og ").join(parts) or _("oppdaterte"), t=title)
    if action == "privacy.assessed":
        label = DPIA_LABELS.get(d.get("dpia_status"), d.get("dpia_status", ""))
        text = _("%(who)s satte DPIA-status til «%(s)s».", who=who, s=str(label) if label else "")
        if d.get("comment"):
            text += " " + _("Kommentar: «%(c)s»", c=d["comment"])
        return text
    return None
