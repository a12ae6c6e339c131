"""What the privacy queue shows: its filter from the URL, who sees which projects in it
(`visible_in_queue`) and the ordered query, built on `privacy_query`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import joinedload

from app.paging import UrlFilter, contains, is_number, page_number
from app.models import Project
from app.models.project import PRIVACY_QUEUE_ANSWERS
from app.models.task import DPIA_CHOICES, PrivacyAssessment
from app.portfolio.visibility import openable_projects

#: the stages shown: the project still runs (drafts, rejected, withdrawn and completed not)
QUEUE_STAGES = ("idea", "concept", "planning", "execution", "handover", "realisation")
#: the stages before BP3, where a DPIA must be settled before the project may go on
BEFORE_BP3 = ("concept", "planning")
#: DPIA statuses that settle the question for BP3
SETTLED = ("ferdig", "ikke_nodvendig")
DPIA_CODES = tuple(code for code, _label in DPIA_CHOICES)
#: the answers to "Behandles personopplysninger?" that put a project in the queue
PERSONAL_DATA = ("yes", "unknown")
#: projects per page
PER_PAGE = 50


@dataclass(frozen=True)
class PrivacyFilter(UrlFilter):
    """The privacy queue's filter and page, as read from the URL."""

    #: "" all, "open" not settled, or one DPIA status code
    dpia: str = ""
    stage: str = ""
    #: free text matched against the title, or a project number
    q: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> PrivacyFilter:
        dpia = (args.get("dpia") or "").strip()
        stage = (args.get("stage") or "").strip()
        return cls(dpia=dpia if dpia in ("", "open", *DPIA_CODES) else "",
                   stage=stage if stage in QUEUE_STAGES else "",
                   q=(args.get("q") or "").strip()[:200], page=page_number(args.get("page")))


def dpia_status_expr():
    """The DPIA status in SQL, where a project without an assessment is "ikke_vurdert"."""
    return func.coalesce(PrivacyAssessment.dpia_status, "ikke_vurdert")


def urgent_expr():
    """Nearing BP3 (konsept or planlegge) without a settled DPIA."""
    return and_(Project.stage.in_(BEFORE_BP3), dpia_status_expr().not_in(SETTLED))


def is_urgent(project: Project, assessment: PrivacyAssessment | None) -> bool:
    """The same rule as `urgent_expr`, for one row already loaded."""
    status = assessment.dpia_status if assessment else "ikke_vurdert"
    return project.stage in BEFORE_BP3 and status not in SETTLED


def visible_in_queue(user):
    """The one rule for which projects the privacy queue shows `user`: a WHERE condition on
    Project, used by the queue and by its count of urgent projects. The SQL form of
    ``Project.can_assess_privacy_of``: the personvernombud sees every submitted project
    that processes (or may process) personal data, restricted or not; everyone else what
    they may view."""
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    if user.has_role("personvern"):
        return or_(openable_projects(user),
                   and_(Project.stage != "draft", Project.personal_data.in_(PRIVACY_QUEUE_ANSWERS)))
    return openable_projects(user)


def privacy_query(*, dpia_statuses: Iterable[str] | None = None,
                  personal_data: Iterable[str] | None = None, stages: Iterable[str] | None = None) -> Select:
    """A SELECT of (Project, PrivacyAssessment or None) pairs, with the owner, the manager
    and the assessor eagerly loaded, by title (drafts never; add ``visible_in_queue``).

    `dpia_statuses` filters on the status, where a project without an assessment counts
    as "ikke_vurdert"; `personal_data` on the project's answer (e.g. ("yes", "unknown"));
    `stages` on the project's stage. Example — projects that process or may process
    personal data and have no settled DPIA::

        privacy_query(personal_data=("yes", "unknown"),
                      dpia_statuses=("ikke_vurdert", "pakrevd", "under_arbeid"))
    """
    status = func.coalesce(PrivacyAssessment.dpia_status, "ikke_vurdert")
    query = (
        select(Project, PrivacyAssessment)
        .outerjoin(PrivacyAssessment, PrivacyAssessment.project_id == Project.id)
        .where(Project.stage != "draft")
        .options(joinedload(Project.owner), joinedload(Project.manager),
                 joinedload(PrivacyAssessment.updated_by))
        .order_by(Project.title, Project.id)
    )
    if dpia_statuses is not None:
        query = query.where(status.in_(list(dpia_statuses)))
    if personal_data is not None:
        query = query.where(Project.personal_data.in_(list(personal_data)))
    if stages is not None:
        query = query.where(Project.stage.in_(list(stages)))
    return query


def queue_query(user, f: PrivacyFilter) -> Select:
    """(Project, PrivacyAssessment or None) rows for the queue: nearing BP3 without a
    settled DPIA first (planlegge before konsept), then other unsettled ones, furthest
    along first, then the settled ones."""
    stages = (f.stage,) if f.stage else QUEUE_STAGES
    if f.dpia == "open":
        statuses = tuple(c for c in DPIA_CODES if c not in SETTLED)
    else:
        statuses = (f.dpia,) if f.dpia else None
    query = privacy_query(personal_data=PERSONAL_DATA, stages=stages, dpia_statuses=statuses
                          ).where(visible_in_queue(user))
    if f.q:
        like = Project.title.ilike(contains(f.q), escape="\\")
        number = f.q.lstrip("#")
        query = query.where((Project.id == int(number)) | like if is_number(number) else like)
    # Project.sort_privacy holds 0 (urgent), 1 (not settled) or 2 (settled), kept on every
    # write (app/models/sort_keys.py); ix_project_sort_privacy walks this order.
    return query.order_by(None).order_by(Project.sort_privacy, Project.stage_rank.desc(), Project.title_key,
                                         Project.id)


def urgent_count_query(user) -> Select:
    """How many visible projects near BP3 without a settled DPIA (for the summary): the
    projects whose stored privacy rank is 0 (concept or planning, DPIA not settled; kept on
    every write), counted on ix_project_sort_privacy."""
    return select(Project.id).where(Project.sort_privacy == 0, Project.personal_data.in_(PERSONAL_DATA),
                                    visible_in_queue(user))
