"""The portfolio as a spreadsheet: exactly the rows (every page) and columns of the view,
streamed: rows are read a chunk at a time and written as they come, so an export of
50,000 projects neither holds them all in memory nor outlasts a worker's timeout.

CSV for Norwegian Excel: UTF-8 with a byte order mark, semicolons, dates as dd.mm.yyyy,
numbers without thousands separators. XLSX through openpyxl, with real dates and numbers.
Text that a spreadsheet would read as a formula (=, +, -, @ first) is kept as text.
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

from app.models import Project, User
from app.portfolio.columns import order_by_clauses
from app.portfolio.query import filter_conditions
from app.portfolio.rows import row_details
from app.templating import stage_label

#: Norwegian names of the traffic lights
LIGHT_LABELS = {"green": "Grønn", "yellow": "Gul", "red": "Rød"}


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
        Column(_("Gevinstrealisering (%)"), "int", 12),
        Column(_("Gevinster nådd"), "int", 9),
        Column(_("Gevinster i alt"), "int", 9),
        Column(_("Prioritet (5–25)"), "int", 10),
        Column(_("Program"), "text", 24),
        Column(_("Skjermet"), "text", 9),
    ]


#: projects read, and their details looked up, per round trip while an export streams
CHUNK = 500


def _row(p, d, labels: dict) -> list:
    report = d.report if d else None
    m = d.milestone if d else None
    lights = labels["lights"]
    return [
        p.id,
        p.title,
        labels["stages"].get(p.stage, p.stage),
        p.unit,
        p.owner_name or "",
        p.manager_name or "",
        lights[report.worst] if report and report.worst else "",
        *[lights[report.areas[c]] if report and report.areas.get(c) in lights else "" for c, _label in AREAS],
        report.period_label if report else "",
        f"{m.number} {m.description}".strip() if m else "",
        m.due_date if m else None,
        d.budget_nok if d else None,
        d.benefits_percent if d else None,
        d.benefits_reached if d and d.benefits_total else None,
        d.benefits_total if d and d.benefits_total else None,
        d.priority if d else None,
        (d.programme_name or "") if d else "",
        labels["yes"] if p.restricted else "",
    ]


def export_query(user, filt: PortfolioFilter) -> Select:
    """The view's projects as plain rows (no ORM objects: an export reads tens of
    thousands), in the portfolio's order: id, title, stage, unit, restricted, owner, manager."""
    owner, manager = aliased(User), aliased(User)
    return (select(Project.id, Project.title, Project.stage, Project.unit, Project.restricted,
                   owner.display_name.label("owner_name"), manager.display_name.label("manager_name"))
            .outerjoin(owner, owner.id == Project.owner_id).outerjoin(manager, manager.id == Project.manager_id)
            .where(*filter_conditions(user, filt)).order_by(*order_by_clauses(filt)))


def iter_rows(user, filt: PortfolioFilter) -> Iterator[list]:
    """Every row of the filtered, sorted view (all pages), as Python values, read from
    the database CHUNK projects at a time: memory does not grow with the number of rows.

    The query is built now, while the request's user is loaded; the rows are read when
    the response streams (after the request's commit, in a session of their own)."""
    query = export_query(user, filt).execution_options(yield_per=CHUNK)
    labels = {"lights": {code: _(label) for code, label in LIGHT_LABELS.items()}, "yes": _("Ja"),
              "stages": {}}
    return _stream_rows(query, labels)


def _stream_rows(query, labels: dict) -> Iterator[list]:
    for chunk in db.session.execute(query).partitions():
        details = row_details([p.id for p in chunk])
        for p in chunk:
            if p.stage not in labels["stages"]:
                labels["stages"][p.stage] = stage_label(p.stage)
            yield _row(p, details.get(p.id), labels)


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


def xlsx_workbook(cols: list[Column], data: Iterable[list], *, title: str):
    """A write-only workbook (rows go to a temporary file as they come, so memory does
    not grow with the number of rows): one sheet with a bold, frozen header row and a
    filter, dates as dd.mm.yyyy, formula-like text kept as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    for i, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def header(text):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        return cell

    ws.append([header(c.header) for c in cols])
    kinds = [c.kind for c in cols]
    n = 1
    for row in data:
        n += 1
        cells = []
        for kind, value in zip(kinds, row):
            if kind == "date" and value is not None:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "DD.MM.YYYY"
                cells.append(cell)
            elif value == "":
                cells.append(None)  # an empty cell, not an empty string
                continue
            elif isinstance(value, str) and value[:1] == "=":
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"  # text, never a formula
                cells.append(cell)
            else:
                cells.append(value)
        ws.append(cells)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{n}"
    return wb


def iter_xlsx(cols: list[Column], data: Iterable[list], *, title: str, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """The workbook's bytes, read back in chunks from a temporary file once it is written."""
    import tempfile

    with tempfile.TemporaryFile() as out:
        xlsx_workbook(cols, data, title=title).save(out)
        out.seek(0)
        while chunk := out.read(chunk_size):
            yield chunk


def to_xlsx(cols: list[Column], data: Iterable[list], *, title: str) -> bytes:
    return b"".join(iter_xlsx(cols, data, title=title))
