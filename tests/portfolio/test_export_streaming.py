"""The exports stream: the response body is a generator that reads the rows a chunk at a
time, and the workbook is written by our own write-only sheet writer (app/portfolio/xlsx.py,
faster than openpyxl's write-only workbook; files read back with openpyxl), whose memory
does not grow with the number of rows (issue 12). Timings are in make bench."""
from __future__ import annotations

import types
from datetime import date

from flask.testing import FlaskClient

from app.extensions import db
from app.models import Project
from app.portfolio import export, xlsx
from tests.portfolio.helpers import read_csv, read_xlsx


def _many(users, n: int) -> list[str]:
    titles = [f"Prosjekt {i:03d}" for i in range(n)]
    db.session.add_all(Project(title=t, stage="planning", unit="Teknisk", submitted_by=users["ida"],
                               owner=users["ola"], manager=users["kari"]) for t in titles)
    db.session.commit()
    return titles


def _stream(app, client, url: str):
    """GET `url` unbuffered and read the body as a server would, chunk by chunk, in the
    same context as the request."""
    with app.app_context():
        response = FlaskClient.open(client, url, buffered=False)
        assert response.status_code == 200 and response.is_streamed
        assert "Content-Length" not in response.headers
        before = list(STARTED)
        chunks = list(response.response)
        response.close()
    return before, chunks


STARTED: list[int] = []


def test_csv_streams_from_a_generator_in_chunks_read_from_the_database_in_chunks(app, as_user, users, monkeypatch):
    STARTED.clear()
    titles = _many(users, 230)
    monkeypatch.setattr(export, "CHUNK", 50)
    real = export._converter

    def counting(labels):
        convert = real(labels)
        return lambda row: STARTED.append(1) or convert(row)

    monkeypatch.setattr(export, "_converter", counting)
    before, chunks = _stream(app, as_user("lise"), "/portfolio/export.csv?sort=title")
    # The view returned before the rows were read: only those of the first chunk (which
    # the server sends with the headers) were made by then.
    assert len(before) <= 100
    assert len(chunks) >= 3  # written as the rows come, not in one piece
    assert len(STARTED) == 230
    rows = read_csv(b"".join(chunks))
    assert [r[1] for r in rows[1:]] == titles


def test_xlsx_is_streamed_from_a_write_only_sheet(app, as_user, users, monkeypatch):
    titles = _many(users, 30)
    opened = []
    real = xlsx.SheetWriter

    class Spy(real):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(xlsx, "SheetWriter", Spy)
    _before, chunks = _stream(app, as_user("lise"), "/portfolio/export.xlsx?sort=title")
    assert len(opened) == 1 and opened[0].rows == 31
    rows = read_xlsx(b"".join(chunks))
    assert [r[1] for r in rows[1:]] == titles


def test_the_sheet_writer_holds_no_more_than_a_few_rows_whatever_it_is_given():
    """Rows go to the zip in the temporary file as they come: what the writer holds stays
    the same size while the file grows."""
    import tempfile

    with tempfile.TemporaryFile() as out:
        writer = xlsx.SheetWriter(out, title="Portefølje", headers=["Nr.", "Tittel"], widths=[7, 40])
        held, written = [], []
        for n in range(1, 5001):
            writer.append([n, f"Prosjekt {n} – ærlig, øvre, åpen <&>"])
            if n % 1000 == 0:
                held.append(len(writer._buffer))
                written.append(out.tell())
        writer.close()
        out.seek(0)
        rows = read_xlsx(out.read())
    assert max(held) < 200 and written == sorted(written) and written[0] < written[-1]
    assert len(rows) == 5001 and rows[-1] == [5000, "Prosjekt 5000 – ærlig, øvre, åpen <&>"]


def test_the_row_generator_forgets_the_projects_it_has_written(app, users):
    _many(users, 120)
    from app.portfolio.filters import PortfolioFilter

    with app.test_request_context():
        rows = export.iter_rows(users["lise"], PortfolioFilter())
        assert isinstance(rows, types.GeneratorType)
        seen = 0
        for _row in rows:
            seen += 1
        held = sum(isinstance(o, Project) for o in db.session.identity_map.values())
    assert seen == 120 and held == 0


def _peak_bytes(produce) -> int:
    """The most memory Python held at once while `produce()` ran to the end."""
    import tracemalloc

    tracemalloc.start()
    try:
        for _chunk in produce():
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _rows(n: int):
    return ([i, f"Prosjekt {i} – ærlig, øvre, åpen", "Planlegge", "Teknisk", "Ola Nordmann", "Kari Nordmann",
             date(2026, 5, 1), 1_250_000, 312_500, 50] for i in range(n))


def test_neither_export_holds_more_memory_for_eight_times_the_rows(app):
    """Constant memory, measured: the peak while writing 16,000 rows is about that of
    2,000 (a writer that kept its rows would need eight times as much)."""
    headers, widths = [f"K{i}" for i in range(10)], [12] * 10
    cols = [export.Column(h, kind) for h, kind in zip(headers, ["int"] + ["text"] * 5 + ["date", "int", "int", "int"])]
    with app.test_request_context():
        for make in (lambda n: (lambda: export.iter_csv(cols, _rows(n))),
                     lambda n: (lambda: xlsx.iter_xlsx(headers, widths, _rows(n), title="Portefølje"))):
            small, large = _peak_bytes(make(2_000)), _peak_bytes(make(16_000))
            assert large < small * 1.5 + 256 * 1024, (small, large)
