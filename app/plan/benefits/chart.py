"""A benefit's development as an SVG line chart, computed on the server.

From the baseline (nullpunkt) through the measurements towards the target, with the
straight line baseline → target as the expected path and a dashed line at the target
value. This module only computes coordinates and labels; the template draws them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from app.models.benefit import Benefit
from app.plan.benefits.display import amount, month, number

#: drawing size in SVG user units (the SVG scales to the card's width)
WIDTH, HEIGHT = 640, 260
#: room for the axis labels
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 20, 40


@dataclass
class Point:
    x: float
    y: float
    label: str


@dataclass
class Chart:
    """Everything the template needs to draw one benefit's chart."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    #: the baseline point (nullpunkt)
    baseline: Point
    #: the target point at the due date
    target: Point
    #: the measurements, in date order
    points: list[Point]
    #: "x1,y1 x2,y2 …": baseline then measurements
    path: str
    #: y of the dashed target line
    target_y: float
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    #: one sentence that says what the chart shows (its text alternative)
    summary: str = ""


def missing_for_chart(benefit: Benefit) -> list[str]:
    """What must be filled in before the chart can be drawn (Norwegian names)."""
    missing = []
    if benefit.baseline is None:
        missing.append(_("nullpunkt"))
    if benefit.baseline_measured_on is None:
        missing.append(_("når nullpunktet ble målt"))
    if benefit.target is None:
        missing.append(_("målverdi"))
    if benefit.due_on is None:
        missing.append(_("når målet skal nås"))
    return missing


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 × 10^n) giving about `ticks` gridlines over `span`."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _month_ticks(start: date, end: date, max_ticks: int = 6) -> list[date]:
    """First days of months between start and end, thinned to at most `max_ticks`."""
    first = start.year * 12 + start.month - 1 + (0 if start.day == 1 else 1)  # months since year 0
    last = end.year * 12 + end.month - 1
    if last < first:
        return []
    every = max(1, math.ceil((last - first + 1) / max_ticks))
    return [date(n // 12, n % 12 + 1, 1) for n in range(first, last + 1, every)]


def summary_sentence(benefit: Benefit) -> str:
    """"Nullpunkt 120 timer (jan. 2026), siste måling 95 timer (mai 2026), mål 60 timer
    innen des. 2026." """
    unit = benefit.unit
    parts = []
    if benefit.baseline is not None:
        text = _("Nullpunkt %(v)s", v=amount(benefit.baseline, unit))
        if benefit.baseline_measured_on:
            text += f" ({month(benefit.baseline_measured_on)})"
        parts.append(text)
    last = benefit.latest_measurement
    if last is not None:
        parts.append(_("siste måling %(v)s (%(m)s)", v=amount(last.value, unit), m=month(last.measured_on)))
    else:
        parts.append(_("ingen målinger ennå"))
    if benefit.target is not None:
        text = _("mål %(v)s", v=amount(benefit.target, unit))
        if benefit.due_on:
            text += " " + _("innen %(m)s", m=month(benefit.due_on))
        parts.append(text)
    sentence = ", ".join(parts)
    return (sentence[:1].upper() + sentence[1:] + ".") if sentence else ""


def build_chart(benefit: Benefit) -> Chart | None:
    """The chart's geometry, or None while baseline, target or their dates are missing."""
    if missing_for_chart(benefit):
        return None
    measurements = list(benefit.measurements)
    dates = [benefit.baseline_measured_on, benefit.due_on, *(m.measured_on for m in measurements)]
    values = [benefit.baseline, benefit.target, *(m.value for m in measurements)]
    d0, d1 = min(dates), max(dates)
    days = max((d1 - d0).days, 1)

    step = _nice_step(max(values) - min(values) or abs(max(values)) or 1.0)
    lo, hi = min(values), max(values)
    v0 = math.floor(lo / step) * step
    v1 = math.ceil(hi / step) * step
    # Keep the extremes off the frame (but never push a non-negative scale below zero).
    if v0 == lo and not (lo >= 0 and v0 - step < 0):
        v0 -= step
    if v1 == hi:
        v1 += step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(d: date) -> float:
        return round(LEFT + plot_w * (d - d0).days / days, 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - (v - v0) / (v1 - v0)), 1)

    unit = benefit.unit
    base = Point(x(benefit.baseline_measured_on), y(benefit.baseline),
                 _("Nullpunkt %(v)s", v=amount(benefit.baseline, unit)))
    goal = Point(x(benefit.due_on), y(benefit.target), _("Mål %(v)s", v=amount(benefit.target, unit)))
    points = [Point(x(m.measured_on), y(m.value), amount(m.value, unit)) for m in measurements]
    path = " ".join(f"{p.x},{p.y}" for p in [base, *points])

    y_ticks = []
    n = int(round((v1 - v0) / step))
    for i in range(n + 1):
        v = v0 + i * step
        y_ticks.append((y(v), number(v)))
    x_ticks = [(x(d), month(d)) for d in _month_ticks(d0, d1)]
    return Chart(width=WIDTH, height=HEIGHT, left=LEFT, right=WIDTH - RIGHT, top=TOP,
                 bottom=HEIGHT - BOTTOM, baseline=base, target=goal, points=points, path=path,
                 target_y=goal.y, x_ticks=x_ticks, y_ticks=y_ticks, summary=summary_sentence(benefit))
