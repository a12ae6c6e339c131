"""Amounts of money as people read them: the one place kroner are formatted and a budget's
share spent is worked out."""
from __future__ import annotations

from app.i18n import group_thousands


def format_nok(value: int | None, with_unit: bool = True) -> str:
    """1200000 → "1 200 000 kr" ("1,200,000 kr" in English; app.i18n.group_thousands), its
    spaces non-breaking so the amount never wraps; `with_unit=False` leaves out " kr" (for
    a form field). None → ""."""
    if value is None:
        return ""
    text = group_thousands(value)
    return f"{text}\u00a0kr" if with_unit else text


def percent_spent(spent: int | None, budget: int | None) -> int | None:
    """How much of `budget` is spent, in whole percent (None when either is unknown or the
    budget is 0): the economy tab and the portfolio row say it the same way."""
    if not budget or spent is None:
        return None
    return round(spent * 100 / budget)


__all__ = ["format_nok", "percent_spent"]
