"""The portfolio as a spreadsheet: exactly the rows (every page) and columns of the view.

CSV for Norwegian Excel: UTF-8 with a byte order mark, semicolons, dates as dd.mm.yyyy,
numbers without thousands separators. XLSX through openpyxl, with real dates and numbers.
Text that a spreadsheet would read as a formula (=, +, -, @ first) is kept as text.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from app.extensions import db
from app.models.status_report import AREAS
from app.portfolio.filters import PortfolioFilter
from app.portfolio.query import filtered_ids, portfolio_query
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


def rows(user, filt: PortfolioFilter) -> list[list]:
    """Every row of the filtered, sorted view (all pages), as Python values."""
    projects = db.session.execute(portfolio_query(user, filt)).unique().scalars().all()
    details = row_details(filtered_ids(user, filt)) if projects else {}
    out = []
    for p in projects:
        d = details.get(p.id)
        report = d.report if d else None
        m = d.milestone if d else None
        out.append([
            p.id,
            p.title,
            stage_label(p.stage),
            p.unit,
            p.owner.display_name if p.owner else "",
            p.manager.display_name if p.manager else "",
            _(LIGHT_LABELS[report.worst]) if report and report.worst else "",
            *[_(LIGHT_LABELS[report.areas[c]]) if report and report.areas.get(c) in LIGHT_LABELS else ""
              for c, _label in AREAS],
            report.period_label if report else "",
            f"{m.number} {m.description}".strip() if m else "",
            m.due_date if m else None,
            d.budget_nok if d else None,
            d.benefits_percent if d else None,
            d.benefits_reached if d and d.benefits_total else None,
            d.benefits_total if d and d.benefits_total else None,
            d.priority if d else None,
            (d.programme_name or "") if d else "",
            _("Ja") if p.restricted else "",
        ])
    return out


def _safe_text(value: str) -> str:
    """Keep a spreadsheet from running text as a formula (OWASP: CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


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


def to_csv(cols: list[Column], data: list[list]) -> bytes:
    """UTF-8 with BOM, semicolons, CRLF line ends: what Norwegian Excel opens as columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([c.header for c in cols])
    for row in data:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(cols: list[Column], data: list[list], *, title: str) -> bytes:
    """One sheet with a bold, frozen header row and a filter, dates as dd.mm.yyyy."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([c.header for c in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in data:
        ws.append([None if v is None else v for v in row])
        r = ws.max_row
        for i, (col, value) in enumerate(zip(cols, row), start=1):
            cell = ws.cell(row=r, column=i)
            if col.kind == "date" and value is not None:
                cell.number_format = "DD.MM.YYYY"
            elif col.kind == "text" and isinstance(value, str) and value[:1] == "=":
                cell.value = value
                cell.data_type = "s"  # text, never a formula
    for i, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, ws.max_row)}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
