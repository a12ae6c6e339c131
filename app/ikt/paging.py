"""Paging (and text search) for the work queues (IKT and privacy): one COUNT and one page query, whatever
the number of rows, so a queue at municipal scale costs the same as a small one."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from sqlalchemy import Select, func, select

from app.extensions import db

#: the highest page number accepted from a URL (beyond it: the first page)
MAX_PAGE = 1_000_000


def is_number(text: str, max_digits: int = 9) -> bool:
    """True for a whole number written with the digits 0–9 only (not "²" or "١"), short
    enough for any database integer."""
    return text.isascii() and text.isdigit() and len(text) <= max_digits


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything but a positive whole number is 1."""
    raw = (raw or "").strip()
    if is_number(raw, 7) and 1 <= int(raw) <= MAX_PAGE:
        return int(raw)
    return 1


@dataclass
class Page:
    """One page of a list: its rows and what the pager needs to link onwards. `total` is
    exact when `total_exact`, else a lower bound (the count stopped some pages ahead)."""

    items: list
    page: int
    per_page: int
    total: int
    total_exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        """The 1-based position of the first row shown (0 when empty)."""
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def contains(text: str) -> str:
    """A LIKE pattern for "contains `text`", its wildcards escaped (use escape="\\")."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def count(query: Select) -> int:
    """The number of rows `query` gives (eager-load options are not part of a subquery)."""
    return db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()


def paginate(query: Select, page: int, per_page: int, *, rows: bool = False) -> Page:
    """Run `query` for one page: a COUNT that stops ten pages past this one (so its cost
    follows the page, not the size of the list) and the page itself, through Flask-
    SQLAlchemy's db.paginate. A page past the end shows the last page instead.
    `rows=True` keeps whole result rows (for queries selecting several entities)."""
    from app.portfolio.query import COUNT_AHEAD_PAGES, bounded_count

    total, exact = bounded_count(query, (page + COUNT_AHEAD_PAGES) * per_page)
    last = max(1, ceil(total / per_page))
    page = min(page, last)
    if rows:
        result = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).unique()
        items = list(result.all())
    else:
        items = list(db.paginate(query, page=page, per_page=per_page, max_per_page=None, error_out=False,
                                 count=False).items)
    return Page(items=items, page=page, per_page=per_page, total=total, total_exact=exact)
