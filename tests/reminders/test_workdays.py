"""Norwegian working days: weekends and public holidays, the moveable ones computed."""
from __future__ import annotations

from datetime import date

import pytest

from app.reminders.periods import add_months, report_period
from app.reminders.workdays import easter_sunday, is_working_day, public_holidays, working_days_between


@pytest.mark.parametrize("year,easter", [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)),
                                         (2026, date(2026, 4, 5)), (2038, date(2038, 4, 25)),
                                         (2285, date(2285, 3, 22))])
def test_easter_is_computed_for_any_year(year, easter):
    assert easter_sunday(year) == easter


def test_the_norwegian_public_holidays_of_2026():
    assert sorted(public_holidays(2026)) == [
        date(2026, 1, 1), date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 5), date(2026, 4, 6),
        date(2026, 5, 1), date(2026, 5, 14), date(2026, 5, 17), date(2026, 5, 24), date(2026, 5, 25),
        date(2026, 12, 25), date(2026, 12, 26)]


def test_easter_week_and_weekends_are_not_working_days():
    # Asked on Wednesday before Easter 2026: by the Wednesday after, two working days have passed.
    assert working_days_between(date(2026, 4, 1), date(2026, 4, 8)) == 2
    assert working_days_between(date(2026, 3, 20), date(2026, 3, 30)) == 6  # Friday → Monday a week later
    assert not is_working_day(date(2026, 5, 14)) and is_working_day(date(2026, 5, 13))
    assert working_days_between(date(2026, 1, 1), date(2027, 1, 1)) == 253


def test_reporting_periods_and_months():
    assert report_period("month", date(2026, 2, 17)).end == date(2026, 2, 28)
    assert report_period("quarter", date(2026, 5, 2)).start == date(2026, 4, 1)
    two = report_period("two_weeks", date(2026, 1, 14))
    assert (two.start, two.end) == (date(2026, 1, 12), date(2026, 1, 25))  # ISO weeks 3–4
    assert report_period("", date(2026, 1, 1)) is None
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
