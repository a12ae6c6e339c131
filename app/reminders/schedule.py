"""A benefit's measurement schedule: every N months after the handover, for Y years (or
until the benefits work ends). Read by the reminders and the calendar feeds."""
from __future__ import annotations

from datetime import date

from app.reminders.periods import add_months, measurement_dates


def schedule_end(benefit, handed_over: date) -> date | None:
    """The last day of the schedule; None when it runs until BP6."""
    if benefit.measure_for_years:
        return add_months(handed_over, 12 * benefit.measure_for_years)
    return None


def due_dates(benefit, handed_over: date, *, limit: int = 240) -> list[date]:
    """Every due date of the schedule (at most `limit` when it has no end)."""
    if not benefit.measure_every_months:
        return []
    return list(measurement_dates(handed_over, benefit.measure_every_months,
                                  schedule_end(benefit, handed_over), limit=limit))


def current_due(benefit, handed_over: date, horizon: date) -> date | None:
    """The latest due date on or before `horizon` (today plus the warning days): the
    round the gevinstansvarlig should measure now; None before the first one."""
    found = None
    for due_on in measurement_dates(handed_over, benefit.measure_every_months,
                                    schedule_end(benefit, handed_over)):
        if due_on > horizon:
            break
        found = due_on
    return found
