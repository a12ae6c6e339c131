"""Paging for every list: the portfolio, its panels, the IKT and privacy queues and the API.

A page is two statements whatever the size of the list: a COUNT that stops a few pages
past the one shown (so its cost follows the page, not the table) and the page itself,
through Flask-SQLAlchemy's ``db.paginate``. A page past the end shows the last page.
Page numbers come from the query string through ``page_number``; free text searched with
LIKE through ``contains``; a list's filter and page travel in the URL as a ``UrlFilter``.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from sqlalchemy import Select, func, literal_column, select

from app.extensions import db

#: the highest page number accepted from a URL (beyond it: the first page)
MAX_PAGE = 1_000_000
#: how many pages past the one shown are counted exactly; beyond that the total reads
#: "more than …", so that counting costs the same at 1,000 and at 50,000 rows
COUNT_AHEAD_PAGES = 10


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


def contains(text: str) -> str:
    """A LIKE pattern for "contains `text`", its wildcards escaped (use escape="\\")."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class UrlFilter:
    """A list's filter, sort and page as its URL holds them: the base of a frozen dataclass
    whose fields (one of them `page`) default to "no filter", so a view can be bookmarked
    and only what differs from the defaults appears in its links."""

    def args(self, **changes) -> dict:
        """This filter as URL parameters (defaults left out), with `changes` applied.
        Changing anything but the page starts again at page 1."""
        if changes and "page" not in changes:
            changes["page"] = 1
        values = asdict(replace(self, **changes))
        defaults = asdict(type(self)())
        return {k: v for k, v in values.items() if v != defaults[k]}

    @property
    def is_default(self) -> bool:
        """Nothing filtered, the default order, the first page."""
        return self.args() == {}


@dataclass
class Page:
    """One page of a list: its rows and what the pager needs to link onwards.

    `total` is exact when `total_exact`; otherwise at least that many rows exist (the
    count stopped COUNT_AHEAD_PAGES pages beyond this one)."""

    items: list
    total: int
    page: int
    per_page: int
    total_exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        """The 1-based number of the first row on this page (0 when empty)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1 if self.items else 0

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and `around` either side of the
        current one; None where pages are left out (an ellipsis). When the total is not
        known exactly, the list ends in None (more pages follow)."""
        last = self.pages if self.total_exact else min(self.pages, self.page + around)
        wanted = {1, last, *range(self.page - around, self.page + around + 1)}
        numbers = sorted(n for n in wanted if 1 <= n <= last)
        out: list[int | None] = []
        for n in numbers:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        if not self.total_exact:
            out.append(None)
        return out


def count(query: Select) -> int:
    """The number of rows `query` gives (eager-load options are not part of a subquery)."""
    return db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()


def bounded_count(query: Select, limit: int) -> tuple[int, bool]:
    """(rows, exact): the number of rows `query` gives, counting no further than `limit`
    (one statement whose cost follows `limit`, not the size of the table)."""
    inner = (query.with_only_columns(literal_column("1"), maintain_column_froms=True)
             .order_by(None).limit(limit + 1).subquery())
    counted = db.session.execute(select(func.count()).select_from(inner)).scalar_one()
    return (counted, True) if counted <= limit else (limit, False)


def paginate(query: Select, page: int, per_page: int, *, scalars: bool = True, unique: bool = False,
             total: int | None = None) -> Page:
    """Run `query` for one page: a bounded COUNT (unless the caller knows the `total`)
    and the page itself through Flask-SQLAlchemy's ``db.paginate`` (two statements).

    A page past the end shows the last page. `scalars=False` keeps whole result rows
    (for a select of several entities or columns); `unique=True` then merges the rows
    that joined eager loads repeat."""
    exact = True
    if total is None:
        total, exact = bounded_count(query, (max(1, page) + COUNT_AHEAD_PAGES) * per_page)
    pages = max(1, math.ceil(total / per_page)) if per_page else 1
    page = max(1, min(page, pages))
    if scalars:
        items = list(db.paginate(query, page=page, per_page=per_page, max_per_page=None, error_out=False,
                                 count=False).items)
    else:
        result = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
        items = list((result.unique() if unique else result).all())
    return Page(items=items, total=total, page=page, per_page=per_page, total_exact=exact)


__all__ = ["COUNT_AHEAD_PAGES", "MAX_PAGE", "Page", "UrlFilter", "bounded_count", "contains", "count",
           "is_number", "page_number", "paginate"]
