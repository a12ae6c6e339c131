"""Amounts of money as people read them: the one place kroner are formatted."""
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


__all__ = ["format_nok"]
