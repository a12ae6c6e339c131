"""Calendar periods: a project's reporting interval, benefit measurement schedules, and
"today" in Oslo. Pure Python apart from the lazy labels."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

OSLO = ZoneInfo("Europe/Oslo")

#: reporting intervals: code → Norwegian label ("" = no fixed interval, no reminders)
REPORT_INTERVALS = {
    "week": _l("Hver uke"), "two_weeks": _l("Annenhver uke"), "month": _l("Hver måned"),
    "quarter": _l("Hvert kvartal"), "": _l("Ingen fast rapportering"),
}
#: measurement schedules in months: value → Norwegian label
MEASURE_EVERY = {1: _l("Hver måned"), 3: _l("Hvert kvartal"), 6: _l("Hvert halvår"), 12: _l("Hvert år")}


def oslo_today(now: datetime) -> date:
    """The date in Norway at the moment `now` (naive values are UTC: SQLite gives
    aggregates such as MAX(published_at) back without their offset)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(OSLO).date()


def oslo_moment(day: date, hour: int) -> datetime:
    """`day` at `hour`:00 Norwegian time, as an aware UTC datetime."""
    return datetime.combine(day, time(hour), OSLO).astimezone(timezone.utc)


@dataclass(frozen=True)
class Period:
    start: date
    #: the last day (inclusive)
    end: date

    @property
    def key(self) -> str:
        return self.start.isoformat()


def report_period(interval: str, day: date) -> Period | None:
    """The reporting period of `interval` that contains `day` (None: no interval).

    Weeks are ISO weeks (Monday–Sunday); two-week periods pair ISO weeks 1–2, 3–4 …;
    months and quarters are calendar months and quarters.
    """
    if interval == "week":
        start = day - timedelta(days=day.weekday())
        return Period(start, start + timedelta(days=6))
    if interval == "two_weeks":
        start = day - timedelta(days=day.weekday())
        if day.isocalendar().week % 2 == 0:
            start -= timedelta(days=7)
        return Period(start, start + timedelta(days=13))
    if interval in ("month", "quarter"):
        first_month = day.month if interval == "month" else 3 * ((day.month - 1) // 3) + 1
        start = date(day.year, first_month, 1)
        return Period(start, add_months(start, 1 if interval == "month" else 3) - timedelta(days=1))
    return None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(d, day.day))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def measurement_dates(start: date, every_months: int, until: date | None, *, limit: int = 240):
    """The due dates of a measurement schedule: `start` + every_months, + 2×every_months …
    up to and including `until` (at most `limit` dates when there is no end)."""
    k = 1
    while k <= limit:
        due = add_months(start, every_months * k)
        if until is not None and due > until:
            return
        yield due
        k += 1
