"""The portfolio as a spreadsheet: exactly the rows (every page) and columns of the view,
streamed: rows are read a chunk at a time and written as they come, so an export of
50,000 projects neither holds them all in memory nor outlasts a worker's timeout.

CSV for Norwegian Excel: UTF-8 with a byte order mark, semicolons, dates as dd.mm.yyyy,
numbers without thousands separators. XLSX by the write-only writer in app/portfolio/xlsx.py,
with real dates and numbers. Text that a spreadsheet would read as a formula (=, +, -, @
first) is kept as text.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from app.extensions import db
from app.models.status_report import AREAS
from app.portfolio.filters import PortfolioFilter
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from sqlalchemy import case, func

from app.models import Milestone, Project, User
from app.models.benefit import Benefit
from app.models.portfolio import Programme, ProgrammeProject
from app.models.status_report import AREA_CODES, StatusReport
from app.portfolio.columns import (benefit_progress, budget, is_measurable_benefit, latest_report_id,
                                   next_milestone_id, order_by_clauses, priority)
from app.portfolio.query import filter_conditions
from app.templating import stage_label
from app.workflow.i18n import N_

#: Norwegian names of the traffic lights
LIGHT_LABELS = {"green": N_("Grønn"), "yellow": N_("Gul"), "red": N_("Rød")}


@dataclass
class Column:
    header: str
    #: "text", "int", "date" or "percent"
    kind: str = "text"
    width: int = 14


def columns() -> list[Column]:
    """The view's columns as a spreadsheet has them: the status cell becomes the overall
    colour plus one column per area, the milestone cell its name and its date."""
    return [
        Column(_("Nr."), "int", 7),
        Column(_("Tittel"), "text", 44),
        Column(_("Fase"), "text", 13),
        Column(_("Enhet"), "text", 20),
        Column(_("Prosjekteier"), "text", 20),
        Column(_("Prosjektleder"), "text", 20),
        Column(_("Status"), "text", 9),
        *[Column(_(label), "text", 10) for _code, label in AREAS],
        Column(_("Statusperiode"), "text", 14),
        Column(_("Neste milepæl"), "text", 36),
        Column(_("Milepælsdato"), "date", 13),
        Column(_("Budsjett (kr)"), "int", 14),
        Column(_("Forbrukt (kr)"), "int", 14),
        Column(_("Gevinstrealisering (%)"), "int", 12),
        Column(_("Gevinster nådd"), "int", 9),
        Column(_("Gevinster i alt"), "int", 9),
        Column(_("Prioritet (5–25)"), "int", 10),
        Column(_("Program"), "text", 24),
        Column(_("Skjermet"), "text", 9),
    ]


#: rows fetched per round trip while an export streams
CHUNK = 500


def export_query(user, filt: PortfolioFilter) -> Select:
    """The view's rows, every column of the spreadsheet, in the portfolio's order: one
    statement that streams (each project's latest report, next milestone, budget,
    benefits, priority and programme found by index seeks), plain rows, no ORM objects."""
    owner, manager = aliased(User), aliased(User)
    report, milestone = aliased(StatusReport), aliased(Milestone)
    progress, measurable = benefit_progress(), is_measurable_benefit()

    def of_benefits(expr):
        return select(expr).where(Benefit.project_id == Project.id).correlate(Project).scalar_subquery()

    return (select(Project.id, Project.title, Project.stage, Project.unit,
                   owner.display_name, manager.display_name,
                   *[getattr(report, f"{code}_status") for code in AREA_CODES], report.period_label,
                   milestone.number, milestone.description, milestone.due_date, budget(), report.spent_to_date_nok,
                   of_benefits(func.avg(case((measurable, func.coalesce(progress, 0.0))))),
                   of_benefits(func.count(case((measurable, progress)))),
                   of_benefits(func.count(case((measurable & (progress >= 1.0), 1)))),
                   of_benefits(func.count(Benefit.id)),
                   priority(), Programme.name, Project.restricted)
            .outerjoin(owner, owner.id == Project.owner_id).outerjoin(manager, manager.id == Project.manager_id)
            .outerjoin(report, report.id == latest_report_id())
            .outerjoin(milestone, milestone.id == next_milestone_id())
            .outerjoin(ProgrammeProject, ProgrammeProject.project_id == Project.id)
            .outerjoin(Programme, Programme.id == ProgrammeProject.programme_id)
            .where(*filter_conditions(user, filt)).order_by(*order_by_clauses(filt)))


def _converter(labels: dict):
    """A function from one row of export_query to the spreadsheet's values."""
    lights, stages, yes = labels["lights"], labels["stages"], labels["yes"]
    rank = {"green": 1, "yellow": 2, "red": 3}
    n_areas = len(AREA_CODES)

    def convert(r) -> list:
        (pid, title, stage, unit, owner, manager), areas = r[:6], r[6:6 + n_areas]
        (period, number, description, due, budget_nok, spent_nok, average, measured, reached, total, prio,
         programme, restricted) = r[6 + n_areas:]
        worst = max(areas, key=lambda a: rank.get(a, 0)) if period is not None else None
        if stage not in stages:
            stages[stage] = stage_label(stage)
        return [
            pid, title, stages[stage], unit, owner or "", manager or "",
            lights.get(worst, "") if worst else "",
            *[lights.get(a, "") for a in areas],
            period or "",
            f"{number} {description}".strip() if number is not None else "",
            due, budget_nok, spent_nok,
            round(float(average) * 100) if measured and average is not None else None,
            reached if total else None, total or None, prio, programme or "",
            yes if restricted else "",
        ]

    return convert


def iter_rows(user, filt: PortfolioFilter) -> Iterator[list]:
    """Every row of the filtered, sorted view (all pages), as Python values, read from
    the database CHUNK rows at a time: memory does not grow with the number of rows.

    The query is built now, while the request's user is loaded; the rows are read when
    the response streams (after the request's commit, in a session of their own)."""
    query = export_query(user, filt).execution_options(yield_per=CHUNK)
    labels = {"lights": {code: _(label) for code, label in LIGHT_LABELS.items()}, "yes": _("Ja"), "stages": {}}
    return _stream_rows(query, _converter(labels))


def _stream_rows(query, convert) -> Iterator[list]:
    for chunk in db.session.execute(query).partitions():
        for r in chunk:
            yield convert(r)


def rows(user, filt: PortfolioFilter) -> list[list]:
    """Every row of the view as a list (small views and tests; exports use iter_rows)."""
    return list(iter_rows(user, filt))


def _safe_text(value: str) -> str:
    """Keep a spreadsheet from running text as a formula (OWASP: CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_text(value) -> str:
    if value is None or value == "":
        return ""
    text = value if type(value) is str else _csv_value(value)
    return "'" + text if text[0] in _FORMULA_START else text


def _csv_number(value) -> str:
    return "" if value is None else str(value)


_FORMULA_START = frozenset(("=", "+", "-", "@", "\t", "\r"))
#: column kind → how its values are written to CSV (the general _csv_value otherwise)
_CSV_BY_KIND = {"text": _csv_text, "int": _csv_number}


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, (int, float)):
        return str(value)
    return _safe_text(str(value))


class _Line:
    """A file-like object that hands back what csv.writer wrote to it."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text = text


def iter_csv(cols: list[Column], data: Iterable[list]) -> Iterator[bytes]:
    """UTF-8 with BOM, semicolons, CRLF line ends: what Norwegian Excel opens as columns.
    One chunk of bytes per ~100 rows, as they come."""
    line = _Line()
    writer = csv.writer(line, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([c.header for c in cols])
    buffer = ["\ufeff", line.text]
    formats = [_CSV_BY_KIND.get(c.kind, _csv_value) for c in cols]
    for n, row in enumerate(data, start=1):
        writer.writerow([f(v) for f, v in zip(formats, row)])
        buffer.append(line.text)
        if n % 100 == 0:
            yield "".join(buffer).encode("utf-8")
            buffer = []
    yield "".join(buffer).encode("utf-8")


def to_csv(cols: list[Column], data: Iterable[list]) -> bytes:
    return b"".join(iter_csv(cols, data))


def iter_xlsx(cols: list[Column], data: Iterable[list], *, title: str) -> Iterator[bytes]:
    """One sheet with a bold, frozen header row and a filter, dates as dd.mm.yyyy, text
    always text (never a formula): written row by row to a temporary file by the
    write-only writer in app/portfolio/xlsx.py, then streamed back in chunks."""
    from app.portfolio.xlsx import iter_xlsx as write

    return write([c.header for c in cols], [c.width for c in cols], data, title=title)


def to_xlsx(cols: list[Column], data: Iterable[list], *, title: str) -> bytes:
    return b"".join(iter_xlsx(cols, data, title=title))
