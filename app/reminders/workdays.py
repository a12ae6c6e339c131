"""Norwegian working days: weekdays that are not public holidays (helligdager).

Pure Python. The fixed holidays are 1 January, 1 May, 17 May and 25–26 December; the
moveable ones follow Easter Sunday, computed for any year with the Gregorian computus
(the "anonymous" algorithm of Meeus/Jones/Butcher), so no year is written down anywhere:
skjærtorsdag (−3), langfredag (−2), første og andre påskedag (0, +1), Kristi
himmelfartsdag (+39), første og andre pinsedag (+49, +50).
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

#: days after Easter Sunday that are public holidays
_EASTER_OFFSETS = (-3, -2, 0, 1, 39, 49, 50)
#: (month, day) of the fixed public holidays
_FIXED = ((1, 1), (5, 1), (5, 17), (12, 25), (12, 26))


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """Every Norwegian public holiday of `year` (helligdager and 1 and 17 May)."""
    easter = easter_sunday(year)
    return frozenset({date(year, m, d) for m, d in _FIXED}
                     | {easter + timedelta(days=n) for n in _EASTER_OFFSETS})


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after `start`, up to and including `end` (0 when end ≤
    start): a request made on a Friday has waited 1 working day on Monday."""
    if end <= start:
        return 0
    count, day = 0, start
    # Whole weeks first (five weekdays each), then the holidays among them, then the rest.
    weeks = (end - start).days // 7
    if weeks:
        span_end = start + timedelta(days=7 * weeks)
        count += 5 * weeks
        count -= sum(1 for h in _holidays_in(start, span_end) if h.weekday() < 5)
        day = span_end
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_working_days(start: date, n: int) -> date:
    """The date `n` working days after `start`."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def _holidays_in(start: date, end: date) -> list[date]:
    """Public holidays after `start`, up to and including `end`."""
    found = []
    for year in range(start.year, end.year + 1):
        found.extend(h for h in public_holidays(year) if start < h <= end)
    return found
