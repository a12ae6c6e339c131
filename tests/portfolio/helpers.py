"""Reading the portfolio pages and exports the way a person (or Excel) would."""
from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def table_rows(html: str) -> list[str]:
    """The titles of the overview's rows, in order."""
    body = re.search(r'<table class="ds-table portfolio-table".*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, "no portfolio table on the page"
    return re.findall(r'<tr id="project-row-\d+">\s*<td class="col-title">\s*<a [^>]*>([^<]*)</a>', body.group(1))


def row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="project-row-(\d+)">', html)]


def row_html(html: str, project_id: int) -> str:
    match = re.search(rf'<tr id="project-row-{project_id}">(.*?)</tr>', html, re.S)
    assert match, f"no row for project {project_id}"
    return _text(match.group(1))


def section_text(html: str, heading_id: str) -> str:
    """The text of the <section aria-labelledby=heading_id> (a side panel)."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"no section {heading_id}"
    return _text(match.group(1))


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without a UTF-8 byte order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(data: bytes) -> list[list]:
    wb = load_workbook(io.BytesIO(data))
    return [list(row) for row in wb.active.iter_rows(values_only=True)]
