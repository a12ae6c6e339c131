"""What a person asked the portfolio to show: ``PortfolioFilter``, read from and written
back to a query string, and the values it accepts.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from app.workflow import Stage
from app.workflow.i18n import N_

# --- filter values ------------------------------------------------------------------------------
#: stages a portfolio can show (never drafts), in the funnel's order
PORTFOLIO_STAGES: tuple[str, ...] = tuple(s.value for s in Stage if s is not Stage.DRAFT)
#: the overall status a project can be filtered on: the reddest light of its latest
#: published report, or "none" when it has no published report (or none rated)
STATUS_VALUES = ("green", "yellow", "red", "none")

#: the sortable columns of the overview: code → Norwegian label (a message id)
SORT_COLUMNS = {
    "title": N_("Tittel"),
    "stage": N_("Fase"),
    "unit": N_("Enhet"),
    "owner": N_("Prosjekteier"),
    "manager": N_("Prosjektleder"),
    "status": N_("Status"),
    "milestone": N_("Neste milepæl"),
    "budget": N_("Budsjett"),
    "benefits": N_("Gevinster"),
    "priority": N_("Prioritet"),
}
DEFAULT_SORT = "stage"
#: the direction each column sorts in when first chosen (numbers: largest first)
DEFAULT_DIRECTION = {"status": "desc", "budget": "desc", "benefits": "desc", "priority": "desc"}

#: page sizes offered on the page; the API may ask for up to its own maximum
PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
#: longest free-text search kept (longer input is cut)
MAX_Q_LENGTH = 200


# --- the filter -------------------------------------------------------------------------------
def _ints(values: Iterable[str]) -> list[int]:
    out = []
    for v in values:
        try:
            # An id beyond the database's integer range matches nothing (an empty result),
            # rather than reaching PostgreSQL as an out-of-range value.
            out.append(max(-(2**31), min(int(v), 2**31 - 1)))
        except (TypeError, ValueError):
            continue
    return out


def _clean(values: Iterable[str], allowed: Iterable[str] | None = None, limit: int = 200) -> tuple[str, ...]:
    """Distinct non-empty values in the order given, optionally only the allowed ones."""
    allowed = set(allowed) if allowed is not None else None
    seen: list[str] = []
    for v in values:
        v = (v or "").strip()[:limit]
        if v and v not in seen and (allowed is None or v in allowed):
            seen.append(v)
    return tuple(seen)


@dataclass(frozen=True)
class PortfolioFilter:
    """What the person asked to see: filters, sort and page, as read from a query string.

    Every field is optional; unknown or invalid values are ignored rather than refused,
    so a shared or bookmarked link never breaks. Several values of one filter (e.g.
    ``?stage=planning&stage=execution``) mean "any of them"; different filters combine
    with "and".
    """

    #: stage codes (PORTFOLIO_STAGES)
    stages: tuple[str, ...] = ()
    #: units (enhet), exact names
    units: tuple[str, ...] = ()
    #: owners: usernames (or full names, any case)
    owners: tuple[str, ...] = ()
    #: managers: usernames (or full names, any case)
    managers: tuple[str, ...] = ()
    #: overall status colours (STATUS_VALUES)
    statuses: tuple[str, ...] = ()
    #: free text found in the title or the need, any case
    q: str = ""
    #: programme id
    programme: int | None = None
    #: a SORT_COLUMNS key
    sort: str = DEFAULT_SORT
    #: "asc" or "desc"
    direction: str = "asc"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    #: query-string names of the fields (also the API's parameter names)
    ARG_NAMES = {"stages": "stage", "units": "unit", "owners": "owner", "managers": "manager",
                 "statuses": "status", "q": "q", "programme": "programme", "sort": "sort",
                 "direction": "dir", "page": "page", "per_page": "per_page"}

    @classmethod
    def from_args(cls, args: Mapping, *, max_per_page: int = MAX_PER_PAGE) -> PortfolioFilter:
        """Read the filter from request.args (a MultiDict) or a plain dict of lists/strings."""
        def many(name: str) -> list[str]:
            if hasattr(args, "getlist"):
                return args.getlist(name)
            value = args.get(name, [])
            return [value] if isinstance(value, str) else list(value)

        def one(name: str) -> str:
            values = many(name)
            return (values[0] if values else "") or ""

        sort = one("sort") if one("sort") in SORT_COLUMNS else DEFAULT_SORT
        direction = one("dir") if one("dir") in ("asc", "desc") else DEFAULT_DIRECTION.get(sort, "asc")
        page = (_ints([one("page")]) or [1])[0]
        per_page = (_ints([one("per_page")]) or [DEFAULT_PER_PAGE])[0]
        programme = (_ints([one("programme")]) or [None])[0]
        return cls(
            stages=_clean(many("stage"), PORTFOLIO_STAGES),
            units=_clean(many("unit")),
            owners=_clean(many("owner"), limit=128),
            managers=_clean(many("manager"), limit=128),
            statuses=_clean(many("status"), STATUS_VALUES),
            q=" ".join(one("q").split())[:MAX_Q_LENGTH],
            programme=programme if programme and programme > 0 else None,
            sort=sort,
            direction=direction,
            page=max(1, min(page, 10**6)),
            per_page=max(1, min(per_page, max_per_page)),
        )

    # --- back into a query string ---------------------------------------------------------
    def to_args(self, *, paging: bool = True) -> list[tuple[str, str]]:
        """The filter as (name, value) pairs, leaving out defaults (stable order)."""
        pairs: list[tuple[str, str]] = []
        for attr in ("stages", "units", "owners", "managers", "statuses"):
            pairs += [(self.ARG_NAMES[attr], v) for v in getattr(self, attr)]
        if self.q:
            pairs.append(("q", self.q))
        if self.programme:
            pairs.append(("programme", str(self.programme)))
        if self.sort != DEFAULT_SORT or self.direction != DEFAULT_DIRECTION.get(self.sort, "asc"):
            pairs += [("sort", self.sort), ("dir", self.direction)]
        if paging:
            if self.per_page != DEFAULT_PER_PAGE:
                pairs.append(("per_page", str(self.per_page)))
            if self.page != 1:
                pairs.append(("page", str(self.page)))
        return pairs

    def query_string(self, *, paging: bool = True, **changes) -> str:
        """The URL query string of this filter with `changes` applied (no leading "?")."""
        target = replace(self, **changes) if changes else self
        return urlencode(target.to_args(paging=paging))

    def sorted_by(self, column: str) -> PortfolioFilter:
        """The filter that a click on `column`'s header gives: that column, turned round
        when it is already the sort, and back to page 1."""
        if column == self.sort:
            direction = "desc" if self.direction == "asc" else "asc"
        else:
            direction = DEFAULT_DIRECTION.get(column, "asc")
        return replace(self, sort=column, direction=direction, page=1)

    @property
    def has_filters(self) -> bool:
        """True when anything narrows the list (sort and paging do not)."""
        return bool(self.stages or self.units or self.owners or self.managers or self.statuses
                    or self.q or self.programme)


__all__ = [
    "DEFAULT_DIRECTION", "DEFAULT_PER_PAGE", "DEFAULT_SORT", "MAX_PER_PAGE", "MAX_Q_LENGTH",
    "PER_PAGE_CHOICES", "PORTFOLIO_STAGES", "SORT_COLUMNS", "STATUS_VALUES", "PortfolioFilter",
]
