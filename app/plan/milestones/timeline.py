"""The milestone timeline as plain numbers for an inline SVG drawn by the template.

Pure Python (no Flask): given the milestones, the plan's start and end and today, place
each milestone on a horizontal time axis, stack labels that would overlap into lanes, and
choose month, quarter or year ticks for the span.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

#: drawing size in SVG user units (the SVG scales to the page width)
WIDTH = 960
LEFT = 24
RIGHT = 24
AXIS_Y = 44
LANE_HEIGHT = 34
#: least room between two labels in one lane (user units)
LABEL_GAP = 64
MAX_LANES = 6
#: a milestone due within this many days is "coming up"
SOON_DAYS = 14

NB_MONTHS = ("jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des.")


@dataclass(frozen=True)
class Marker:
    id: int
    x: float
    #: the centre of the marker (below the axis, by lane)
    y: float
    label: str
    #: done, overdue, soon or planned
    state: str
    description: str
    due: date
    done: date | None


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    #: a year boundary: drawn stronger
    major: bool


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    axis_y: int
    start: date
    end: date
    ticks: tuple[Tick, ...]
    markers: tuple[Marker, ...]
    #: x of today, or None when today lies outside the span
    today_x: float | None
    #: x of the project's start and end (the project period band), when known
    period: tuple[float, float] | None


def state_of(due: date, done: date | None, today: date) -> str:
    """done, overdue (open and past due), soon (due within SOON_DAYS) or planned."""
    if done is not None:
        return "done"
    if due < today:
        return "overdue"
    if (due - today).days <= SOON_DAYS:
        return "soon"
    return "planned"


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def build(milestones, today: date, start: date | None = None, end: date | None = None) -> Timeline | None:
    """The timeline, or None when there are no milestones to draw.

    `milestones` are objects with id, number, description, due_date and done_date.
    """
    items = sorted(milestones, key=lambda m: (m.due_date, m.number))
    if not items:
        return None
    dates = [m.due_date for m in items] + [m.done_date for m in items if m.done_date]
    dates += [d for d in (start, end) if d]
    lo, hi = min(dates), max(dates)
    # Show today when it is near the plan; a project long finished is not stretched to now.
    if lo - timedelta(days=183) <= today <= hi + timedelta(days=183):
        lo, hi = min(lo, today), max(hi, today)
    # Whole months either side, and never less than three months, so a single date fits.
    lo = _month_start(lo)
    hi = _add_months(_month_start(hi), 1)
    while (hi.year - lo.year) * 12 + hi.month - lo.month < 3:
        hi = _add_months(hi, 1)
    span = (hi - lo).days
    inner = WIDTH - LEFT - RIGHT

    def x_of(d: date) -> float:
        return round(LEFT + inner * (d - lo).days / span, 1)

    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = 1 if months <= 14 else 3 if months <= 40 else 12
    ticks = []
    d = lo
    while d <= hi:
        if (d.month - 1) % step == 0 or d == lo:
            major = d.month == 1
            if step == 12:
                label = str(d.year)
            elif major or d == lo:
                label = f"{NB_MONTHS[d.month - 1]} {d.year}"
            else:
                label = NB_MONTHS[d.month - 1]
            ticks.append(Tick(x_of(d), label, major))
        d = _add_months(d, 1)
    # Drop a tick label that would collide with the first one (a non-aligned start).
    if len(ticks) > 1 and ticks[1].x - ticks[0].x < 40:
        ticks.pop(1)

    lanes: list[float] = []
    markers = []
    for m in items:
        x = x_of(m.due_date)
        lane = next((i for i, last in enumerate(lanes) if x - last >= LABEL_GAP), None)
        if lane is None:
            if len(lanes) < MAX_LANES:
                lanes.append(x)
                lane = len(lanes) - 1
            else:  # crowded: put it in the lane that has been free the longest
                lane = min(range(len(lanes)), key=lambda i: lanes[i])
        lanes[lane] = x
        markers.append(Marker(
            id=m.id, x=x, y=AXIS_Y + 22 + lane * LANE_HEIGHT, label=m.number,
            state=state_of(m.due_date, m.done_date, today), description=m.description,
            due=m.due_date, done=m.done_date))
    height = AXIS_Y + 22 + max(1, len(lanes)) * LANE_HEIGHT + 4
    today_x = x_of(today) if lo <= today <= hi else None
    period = (x_of(start), x_of(end)) if start and end and start <= end else None
    return Timeline(WIDTH, height, AXIS_Y, lo, hi, tuple(ticks), tuple(markers), today_x, period)
