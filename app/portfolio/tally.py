"""The panels' counts for one person's view, read from the stored tally
(app/models/portfolio_tally.py) instead of every project, risk and benefit.

The tally is kept per stage, unit and "Skjermet" flag, so it answers exactly the views
that filter on stage and unit only (the portfolio as it opens, and its commonest
filters); any other filter (owner, manager, status, text, programme) returns None and the
panels count the rows. Visibility as in app/portfolio/visibility.py: drafts never; the
portefolje role and administrators every restricted project; anyone else the open
projects from the tally plus their own restricted ones, counted live (a handful, found
through the indexes on submitter, owner, manager and membership).
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select, union

from app.extensions import db
from app.models import Project, ProjectMember
from app.models.benefit import Benefit
from app.models.portfolio_tally import BENEFITS, RISKS, STAGES, PortfolioTally, risk_bucket
from app.models.risk import Risk
from app.portfolio.filters import PortfolioFilter
from app.portfolio.visibility import sees_all_restricted
from app.workflow import Stage


def answers(filt: PortfolioFilter) -> bool:
    """The stored counts can answer this view (it filters on stage and unit at most)."""
    return not (filt.owners or filt.managers or filt.statuses or filt.q or filt.programme)


def stored_counts(user, filt: PortfolioFilter, panel: str) -> Counter | None:
    """(stage, bucket) → count for `panel` in the view of `user`; None when the view's
    filters need the rows themselves."""
    if not answers(filt):
        return None
    out: Counter = Counter()
    if user is None or not getattr(user, "is_authenticated", False):
        return out
    t = PortfolioTally
    conds = [t.panel == panel, t.stage != Stage.DRAFT.value]
    if filt.stages:
        conds.append(t.stage.in_(filt.stages))
    if filt.units:
        conds.append(t.unit.in_(filt.units))
    everything = sees_all_restricted(user)
    if not everything:
        conds.append(t.restricted.is_(False))
    for stage, bucket, n in db.session.execute(
            select(t.stage, t.bucket, func.sum(t.count)).where(*conds).group_by(t.stage, t.bucket)):
        out[(stage, bucket)] += int(n or 0)
    if not everything:
        out.update(_own_restricted(user, filt, panel))
    return +out  # without the zeros


def _own_restricted(user, filt: PortfolioFilter, panel: str) -> Counter:
    """The same counts over the restricted projects `user` has a part in."""
    own = union(select(Project.id).where(Project.submitted_by_id == user.id),
                select(Project.id).where(Project.owner_id == user.id),
                select(Project.id).where(Project.manager_id == user.id),
                select(ProjectMember.project_id).where(ProjectMember.user_id == user.id))
    conds = [Project.id.in_(own), Project.restricted.is_(True), Project.stage != Stage.DRAFT.value]
    if filt.stages:
        conds.append(Project.stage.in_(filt.stages))
    if filt.units:
        conds.append(Project.unit.in_(filt.units))
    out: Counter = Counter()
    if panel == STAGES:
        query = select(Project.stage, func.count()).where(*conds).group_by(Project.stage)
        for stage, n in db.session.execute(query):
            out[(stage, "")] += n
    elif panel == RISKS:
        query = (select(Project.stage, Risk.probability, Risk.consequence, func.count())
                 .join(Risk, Risk.project_id == Project.id)
                 .where(*conds, Risk.status == "open", Risk.kind == "risk")
                 .group_by(Project.stage, Risk.probability, Risk.consequence))
        for stage, p, c, n in db.session.execute(query):
            out[(stage, risk_bucket(p, c))] += n
    elif panel == BENEFITS:
        query = (select(Project.stage, Benefit.progress_category, func.count())
                 .join(Benefit, Benefit.project_id == Project.id)
                 .where(*conds).group_by(Project.stage, Benefit.progress_category))
        for stage, category, n in db.session.execute(query):
            out[(stage, category)] += n
    return out


__all__ = ["BENEFITS", "RISKS", "STAGES", "answers", "risk_bucket", "stored_counts"]
