"""How the benefits tab writes numbers, amounts, months and measurement schedules
(Norwegian formats)."""
from __future__ import annotations

from datetime import date

from flask_babel import format_date, format_decimal

from app.models.benefit import BENEFIT_KINDS


def number(value: float | None) -> str:
    """120 → "120", 1234.5 → "1 234,5" (Norwegian format); "" for None."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.######")


def approx(value: float | None) -> float | None:
    """A computed value rounded for reading: whole numbers from 100, else one or two decimals."""
    if value is None:
        return None
    size = abs(value)
    return round(value) if size >= 100 else round(value, 1) if size >= 10 else round(value, 2)


def amount(value: float | None, unit: str = "") -> str:
    """A value with its unit: "95 timer", "450 000 kr"."""
    if value is None:
        return ""
    return f"{number(value)}\u00a0{unit}".strip() if unit else number(value)


def month(value: date | None) -> str:
    """"jan. 2026"."""
    return format_date(value, "MMM yyyy") if value else ""


def schedule_label(benefit) -> str:
    """The measurement schedule in words: "hvert kvartal i 3 år etter overleveringen"."""
    from flask_babel import gettext as _, ngettext

    from app.reminders.periods import MEASURE_EVERY

    every = MEASURE_EVERY.get(benefit.measure_every_months)
    if every is None:
        return ""
    every = str(every).lower()
    if benefit.measure_for_years:
        return ngettext("%(e)s i %(num)d år etter overleveringen", "%(e)s i %(num)d år etter overleveringen",
                        benefit.measure_for_years, e=every)
    return _("%(e)s etter overleveringen, til gevinstarbeidet er avsluttet", e=every)


def kind_label(code: str) -> str:
    return BENEFIT_KINDS.get(code, code)
