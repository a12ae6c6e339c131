"""Stored sort keys of projects and people, so that lists sort and page in SQL on an index.

A list of 50 rows out of 50,000 projects must not compute every project's status, next
milestone or benefit progress to find its first 50: the keys are stored on the row, kept
up to date on every write, and indexed (see migration 0011).

- ``norwegian_key(text)``: text in Norwegian alphabetical order under a plain byte
  comparison (SQLite's BINARY, PostgreSQL's "C" collation): case and accents folded, and
  Æ, Ø and Å after Z.
- ``ProjectSortKeys``: the columns on ``project``. ``title_key``, ``unit_key`` and
  ``stage_rank`` come from the row itself and are set before each INSERT/UPDATE; the
  rest come from other tables (the owner's and the manager's names, the latest status
  report, the next milestone, the budget, the benefits, the priority score and the DPIA)
  and are recomputed in SQL after each flush that touched one of those tables
  (``refresh_project_keys``). ``User.name_key`` is set before each write of a user.

Core INSERT/UPDATE/DELETE statements on those tables bypass the ORM and therefore these
events: tests/portfolio/test_sort_keys.py refuses them anywhere in app/.
"""
from __future__ import annotations

import unicodedata
from datetime import date

from sqlalchemy import BigInteger, Date, Float, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

#: letters with their own place in the Norwegian alphabet (after z: æ, ø, å), and the
#: foreign letters Norwegian sorts with them (ä as æ, ö as ø, ü as y)
_LETTERS = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"}
#: the longest key kept (the columns' length)
KEY_LENGTH = 200


def norwegian_key(text: str | None) -> str:
    """A key that sorts `text` in Norwegian order by plain byte comparison.

    Lower case; accents dropped (é → e); æ, ø, å written as the three characters that
    follow z in ASCII ({, |, }), so "Zebra" < "Ærlig" < "Øvre" < "Åpen"."""
    out = []
    for ch in unicodedata.normalize("NFC", text or "").casefold().strip():
        if ch in _LETTERS:
            out.append(_LETTERS[ch])
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base if base.isascii() else ch)
    return " ".join("".join(out).split())[:KEY_LENGTH]


def key_type():
    """Text compared byte by byte on both databases (PostgreSQL: COLLATE "C")."""
    return String(KEY_LENGTH).with_variant(String(KEY_LENGTH, collation="C"), "postgresql")


#: stage → its place in the default sort (the funnel's order; side exits after)
STAGE_RANK = {"draft": 0, "idea": 1, "concept": 2, "planning": 3, "execution": 4, "handover": 5,
              "realisation": 6, "completed": 7, "rejected": 8, "withdrawn": 9}


class ProjectSortKeys:
    """The project's stored sort keys (mixed into Project; not for display)."""

    title_key: Mapped[str] = mapped_column(key_type(), default="", server_default="")
    unit_key: Mapped[str] = mapped_column(key_type(), default="", server_default="")
    stage_rank: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: norwegian_key of the owner's / manager's name (NULL: nobody)
    sort_owner: Mapped[str | None] = mapped_column(key_type(), nullable=True, deferred=True)
    sort_manager: Mapped[str | None] = mapped_column(key_type(), nullable=True, deferred=True)
    #: reddest light of the latest published report: 1 green … 3 red, 0 none rated (NULL: no report)
    sort_status: Mapped[int | None] = mapped_column(Integer, nullable=True, deferred=True)
    #: due date of the next open milestone
    sort_milestone: Mapped[date | None] = mapped_column(Date, nullable=True, deferred=True)
    sort_budget: Mapped[int | None] = mapped_column(BigInteger, nullable=True, deferred=True)
    #: average progress 0–1 of the measurable benefits
    sort_benefits: Mapped[float | None] = mapped_column(Float, nullable=True, deferred=True)
    #: priority score 5–25
    sort_priority: Mapped[int | None] = mapped_column(Integer, nullable=True, deferred=True)
    #: the privacy queue's order: 0 near BP3 without a settled DPIA, 1 not settled, 2 settled
    sort_privacy: Mapped[int] = mapped_column(Integer, default=1, server_default="1", deferred=True)


class BenefitKeys:
    """The benefit's stored progress category (mixed into Benefit): where its latest
    measurement stands between baseline and target (reached, halfway, started,
    unmeasured, undefined), so that the portfolio's benefits panel counts stored values
    instead of looking up every benefit's latest measurement on every view."""

    progress_category: Mapped[str] = mapped_column(String(12), default="undefined", server_default="undefined")


#: the stored keys computed from other tables, refreshed after a flush
DERIVED_KEYS = ("sort_owner", "sort_manager", "sort_status", "sort_milestone", "sort_budget",
                "sort_benefits", "sort_priority", "sort_privacy")


def set_row_keys(project) -> None:
    """The keys that come from the project's own columns."""
    project.title_key = norwegian_key(project.title)
    project.unit_key = norwegian_key(project.unit)
    project.stage_rank = STAGE_RANK.get(project.stage, 99)


def derived_key_values() -> dict:
    """column name → SQL expression correlated on Project, for an UPDATE of project."""
    from sqlalchemy import case, func, select

    from app.models import Project, User
    from app.models.task import PrivacyAssessment
    from app.portfolio.columns import benefits_progress, budget, next_milestone_due, priority, status_rank

    def name_of(person):
        return select(User.name_key).where(User.id == person).correlate(Project).scalar_subquery()

    dpia = func.coalesce(select(PrivacyAssessment.dpia_status)
                         .where(PrivacyAssessment.project_id == Project.id)
                         .correlate(Project).scalar_subquery(), "ikke_vurdert")
    settled = dpia.in_(("ferdig", "ikke_nodvendig"))
    privacy = case((settled, 2), (Project.stage.in_(("concept", "planning")), 0), else_=1)
    return {"sort_owner": name_of(Project.owner_id), "sort_manager": name_of(Project.manager_id),
            "sort_status": status_rank(), "sort_milestone": next_milestone_due(), "sort_budget": budget(),
            "sort_benefits": benefits_progress(), "sort_priority": priority(), "sort_privacy": privacy}


def refresh_project_keys(connection_or_session, project_ids) -> None:
    """Recompute the derived keys of these projects (two statements on PostgreSQL: the rows
    are locked first, so that the recomputation reads what other transactions committed
    while this one waited for them)."""
    from sqlalchemy import select, update

    from app.models import Project

    ids = sorted({i for i in project_ids if i is not None})
    if not ids:
        return
    conn = connection_or_session
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        if conn.dialect.name == "postgresql":
            conn.execute(select(Project.id).where(Project.id.in_(chunk)).order_by(Project.id).with_for_update())
        conn.execute(update(Project.__table__).where(Project.__table__.c.id.in_(chunk))
                     .values(**derived_key_values()))


def refresh_benefit_keys(connection, benefit_ids=None) -> None:
    """Recompute the progress category of these benefits (all when None)."""
    from sqlalchemy import update

    from app.models.benefit import Benefit
    from app.portfolio.columns import benefit_category

    statement = update(Benefit.__table__).values(progress_category=benefit_category())
    if benefit_ids is None:
        connection.execute(statement)
        return
    ids = sorted({i for i in benefit_ids if i is not None})
    for start in range(0, len(ids), 500):
        connection.execute(statement.where(Benefit.__table__.c.id.in_(ids[start:start + 500])))


def refresh_all_project_keys(connection) -> None:
    """Every project's derived keys and every benefit's category (after a bulk load that
    went around the ORM)."""
    from sqlalchemy import update

    from app.models import Project

    refresh_benefit_keys(connection)
    connection.execute(update(Project.__table__).values(**derived_key_values()))


# --- keeping them up to date ------------------------------------------------------------------
def _projects_touched(session: Session) -> tuple[set[int], set[int], set[int]]:
    """(project ids, benefit ids, user ids) whose changes in this flush move a derived key."""
    from sqlalchemy import inspect

    from app.models import Milestone, Project, ProjectPlan, User
    from app.models.benefit import Benefit, BenefitMeasurement
    from app.models.portfolio import PriorityScore
    from app.models.status_report import StatusReport
    from app.models.task import PrivacyAssessment

    by_project = (Milestone, ProjectPlan, Benefit, PriorityScore, StatusReport, PrivacyAssessment)
    projects, benefits, users = set(), set(), set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Benefit) and obj not in session.deleted:
            benefits.add(obj.id)
        if isinstance(obj, Project):
            projects.add(obj.id)
        elif isinstance(obj, by_project):
            projects.add(obj.project_id)
            history = inspect(obj).attrs.project_id.history
            projects.update(v for v in history.deleted or () if v is not None)
        elif isinstance(obj, BenefitMeasurement):
            benefits.add(obj.benefit_id)
        elif isinstance(obj, User) and (obj in session.new or inspect(obj).attrs.display_name.history.has_changes()):
            users.add(obj.id)
    return projects, benefits, users


def _after_flush(session: Session, _context) -> None:
    projects, benefits, users = _projects_touched(session)
    if not (projects or benefits or users):
        return
    from sqlalchemy import or_, select

    from app.models import Project
    from app.models.benefit import Benefit

    conn = session.connection()
    benefits.discard(None)
    users.discard(None)
    if benefits:
        # The category first: it reads the measurements, and the project's progress key
        # reads the same measurements (not the category), so the order is only tidy.
        refresh_benefit_keys(conn, benefits)
        projects.update(conn.execute(select(Benefit.project_id).where(Benefit.id.in_(benefits))).scalars())
        for obj in session.identity_map.values():
            if isinstance(obj, Benefit) and obj.id in benefits:
                session.expire(obj, ["progress_category"])
    if users:
        projects.update(conn.execute(select(Project.id).where(or_(
            Project.owner_id.in_(users), Project.manager_id.in_(users)))).scalars())
    refresh_project_keys(conn, projects)
    # Loaded projects would otherwise keep the keys they were read with.
    for obj in session.identity_map.values():
        if isinstance(obj, Project) and obj.id in projects:
            session.expire(obj, list(DERIVED_KEYS))


def _set_user_key(_mapper, _connection, user) -> None:
    user.name_key = norwegian_key(user.display_name)


def _set_project_keys(_mapper, _connection, project) -> None:
    set_row_keys(project)


def install(project_cls, user_cls) -> None:
    """Register the events (app.models does this once)."""
    for name in ("before_insert", "before_update"):
        event.listen(project_cls, name, _set_project_keys)
        event.listen(user_cls, name, _set_user_key)
    event.listen(Session, "after_flush", _after_flush)


__all__ = ["BenefitKeys", "refresh_benefit_keys", "DERIVED_KEYS", "KEY_LENGTH", "STAGE_RANK", "ProjectSortKeys", "derived_key_values", "install",
           "norwegian_key", "refresh_all_project_keys", "refresh_project_keys", "set_row_keys"]
