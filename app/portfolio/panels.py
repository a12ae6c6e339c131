"""The side panels of the portfolio: the stage funnel, the risk heat map and the benefits
overview, over the same projects as the table (visibility and filters from
app.portfolio.query), and a small geometry helper for each server-drawn SVG. They read the
stored counts (app/portfolio/tally.py) when the view filters on stage and unit only, and
count the rows otherwise."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import Project
from app.models.benefit import Benefit, BenefitMeasurement
from app.models.risk import SCALE, Risk, score_level
from app.portfolio.columns import RANK_STATUS, benefit_progress, status_rank
from app.portfolio.filters import PORTFOLIO_STAGES, PortfolioFilter
from app.portfolio.query import Page, filter_conditions, paginate
from app.portfolio.tally import BENEFITS, RISKS, STAGES, risk_bucket, stored_counts
from app.portfolio.textsearch import fold
from app.workflow import PHASES
from app.workflow.i18n import N_

#: the stages the funnel draws as bars (the main line); the side exits are listed below it
FUNNEL_STAGES = tuple(s.value for s in PHASES)
SIDE_EXITS = tuple(s for s in PORTFOLIO_STAGES if s not in FUNNEL_STAGES)


# --- the funnel -----------------------------------------------------------------------------
@dataclass
class FunnelBar:
    stage: str
    count: int
    #: geometry in the SVG's 0–100 wide coordinate system
    x: float
    width: float
    y: float


@dataclass
class Funnel:
    bars: list[FunnelBar]
    #: side exits (rejected, withdrawn): stage → count
    exits: dict[str, int]
    total: int
    height: float
    bar_height: float = 26
    gap: float = 6


def stage_funnel(user, filt: PortfolioFilter) -> Funnel:
    """How many of the view's projects stand in each stage (from the stored counts, or one
    GROUP BY when the view filters on more than stage and unit)."""
    stored = stored_counts(user, filt, STAGES)
    if stored is not None:
        counts = {stage: n for (stage, _bucket), n in stored.items()}
    else:
        counts = dict(db.session.execute(
            select(Project.stage, func.count()).where(*filter_conditions(user, filt)).group_by(Project.stage)).all())
    most = max([counts.get(s, 0) for s in FUNNEL_STAGES] + [1])
    bars, y = [], 0.0
    bar_h, gap = 26, 6
    for stage in FUNNEL_STAGES:
        n = counts.get(stage, 0)
        # Centred bars; an empty stage still shows a thin sliver so the shape reads as a funnel.
        width = max(2.0, 100.0 * n / most)
        bars.append(FunnelBar(stage=stage, count=n, x=(100.0 - width) / 2, width=width, y=y))
        y += bar_h + gap
    return Funnel(bars=bars, exits={s: counts.get(s, 0) for s in SIDE_EXITS},
                  total=sum(counts.values()), height=y - gap, bar_height=bar_h, gap=gap)


# --- the risk heat map ------------------------------------------------------------------------
@dataclass
class HeatMap:
    #: (probability, consequence) → number of open risks
    counts: dict[tuple[int, int], int]
    total: int
    #: "low" / "medium" / "high" → number of open risks
    by_level: dict[str, int] = field(default_factory=dict)

    def level(self, p: int, c: int) -> str:
        return score_level(p * c)

    @property
    def most(self) -> int:
        return max(self.counts.values()) if self.counts else 0


def risk_heat_map(user, filt: PortfolioFilter) -> HeatMap:
    """Open risks (not opportunities) of the view's projects by probability and
    consequence: from the stored counts, or, when the view filters on more than stage and
    unit, one GROUP BY over the covering index of open risks (ix_risk_open_matrix), each
    joined to its project for the view's conditions."""
    stored = stored_counts(user, filt, RISKS)
    if stored is not None:
        by_bucket = Counter()
        for (_stage, bucket), n in stored.items():
            by_bucket[bucket] += n
        rows = [(p, c, by_bucket[risk_bucket(p, c)]) for p in SCALE for c in SCALE]
    else:
        rows = db.session.execute(
            select(Risk.probability, Risk.consequence, func.count())
            .join(Project, Project.id == Risk.project_id)
            .where(Risk.status == "open", Risk.kind == "risk", *filter_conditions(user, filt))
            .group_by(Risk.probability, Risk.consequence)).all()
    counts = {(p, c): 0 for p in SCALE for c in SCALE}
    for p, c, n in rows:
        if (p, c) in counts:
            counts[(p, c)] = n
    by_level = {"high": 0, "medium": 0, "low": 0}
    for (p, c), n in counts.items():
        by_level[score_level(p * c)] += n
    return HeatMap(counts=counts, total=sum(counts.values()), by_level=by_level)


# --- benefits ---------------------------------------------------------------------------------
#: how far a benefit has come, best first: code → Norwegian label (message ids)
BENEFIT_CATEGORIES = {
    "reached": N_("Målet er nådd"),
    "halfway": N_("Over halvveis"),
    "started": N_("Under halvveis"),
    "unmeasured": N_("Ikke målt ennå"),
    "undefined": N_("Mangler nullpunkt eller mål"),
}


def _latest_measurement(column):
    return (select(column).where(BenefitMeasurement.benefit_id == Benefit.id)
            .order_by(BenefitMeasurement.measured_on.desc(), BenefitMeasurement.id.desc())
            .limit(1).correlate(Benefit).scalar_subquery())


@dataclass
class BenefitSegment:
    category: str
    count: int
    x: float
    width: float


@dataclass
class BenefitsSummary:
    counts: dict[str, int]
    total: int

    @property
    def segments(self) -> list[BenefitSegment]:
        """The stacked bar's parts in a 0–100 coordinate system (empty ones left out)."""
        out, x = [], 0.0
        for code in BENEFIT_CATEGORIES:
            n = self.counts.get(code, 0)
            if n and self.total:
                w = 100.0 * n / self.total
                out.append(BenefitSegment(category=code, count=n, x=x, width=w))
                x += w
        return out


def benefits_summary(user, filt: PortfolioFilter) -> BenefitsSummary:
    """The view's benefits counted by how far their latest measurement has come from the
    baseline to the target: from the stored counts, or, when the view filters on more
    than stage and unit, one GROUP BY on the stored category (Benefit.progress_category,
    kept on every write of a benefit or a measurement; app/models/sort_keys.py)."""
    stored = stored_counts(user, filt, BENEFITS)
    if stored is not None:
        counts = Counter()
        for (_stage, bucket), n in stored.items():
            counts[bucket] += n
    else:
        counts = dict(db.session.execute(
            select(Benefit.progress_category, func.count()).join(Project, Project.id == Benefit.project_id)
            .where(*filter_conditions(user, filt)).group_by(Benefit.progress_category)).all())
    return BenefitsSummary(counts=counts, total=sum(counts.values()))


@dataclass
class BenefitRow:
    """One benefit with its latest measurement, for the benefits list."""

    benefit: Benefit
    project_id: int
    project_title: str
    latest_value: float | None
    latest_on: date | None
    progress: float | None

    @property
    def category(self) -> str:
        b = self.benefit
        if b.baseline is None or b.target is None or b.target == b.baseline:
            return "undefined"
        if self.latest_value is None:
            return "unmeasured"
        if self.progress is not None and self.progress >= 1:
            return "reached"
        if self.progress is not None and self.progress >= 0.5:
            return "halfway"
        return "started"


def benefits_page(user, filt: PortfolioFilter, page: int, per_page: int = 50) -> Page:
    """Every benefit of the view's projects with its latest measurement, by project title,
    one page at a time (two statements)."""
    latest_value = _latest_measurement(BenefitMeasurement.value)
    latest_on = _latest_measurement(BenefitMeasurement.measured_on)
    query = (select(Benefit, Project.title, latest_value, latest_on, benefit_progress())
             .join(Project, Project.id == Benefit.project_id)
             .where(*filter_conditions(user, filt))
             .order_by(fold(Project.title), Project.id, Benefit.id))
    result = paginate(query, page, per_page, scalars=False)
    result.items = [BenefitRow(benefit=b, project_id=b.project_id, project_title=title,
                               latest_value=value, latest_on=on,
                               progress=float(progress) if progress is not None else None)
                    for b, title, value, on, progress in result.items]
    return result


# --- status and top risks (the programme page) --------------------------------------------------
def status_counts(user, filt: PortfolioFilter) -> dict[str, int]:
    """How many of the view's projects have each overall status: "red", "yellow", "green"
    or "none" (no published report, or nothing rated) — one GROUP BY."""
    rank = status_rank().label("rank")
    inner = select(rank).where(*filter_conditions(user, filt)).subquery()
    counts = {"red": 0, "yellow": 0, "green": 0, "none": 0}
    for r, n in db.session.execute(select(inner.c.rank, func.count()).group_by(inner.c.rank)):
        counts[RANK_STATUS.get(r, "none")] += n
    return counts


def top_risks(user, filt: PortfolioFilter, limit: int = 5) -> list[tuple[Risk, str]]:
    """The view's open risks with the highest score, with their project's title."""
    from sqlalchemy.orm import joinedload

    return list(db.session.execute(
        select(Risk, Project.title).join(Project, Project.id == Risk.project_id)
        .where(Risk.status == "open", Risk.kind == "risk", *filter_conditions(user, filt))
        .options(joinedload(Risk.responsible))
        .order_by((Risk.probability * Risk.consequence).desc(), Risk.id).limit(limit)).all())
