"""The exports stream: the response body is a generator that reads the rows a chunk at a
time, and the workbook is openpyxl's write-only one (issue 12). Timings are in make bench."""
from __future__ import annotations

import types

from flask.testing import FlaskClient

from app.extensions import db
from app.models import Project
from app.portfolio import export
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
    lookups = []
    real = export.row_details
    monkeypatch.setattr(export, "row_details", lambda ids: lookups.append(len(ids)) or STARTED.append(1) or real(ids))

    before, chunks = _stream(app, as_user("lise"), "/portfolio/export.csv?sort=title")
    # The view returned before the rows were read: only the first chunk (which the
    # server sends with the headers) was made by then.
    assert len(before) < 5
    assert len(chunks) >= 3  # written as the rows come, not in one piece
    assert lookups == [50, 50, 50, 50, 30]  # the details of one chunk of projects at a time
    rows = read_csv(b"".join(chunks))
    assert [r[1] for r in rows[1:]] == titles


def test_xlsx_is_a_write_only_workbook_streamed_back(app, as_user, users, monkeypatch):
    titles = _many(users, 30)
    made = []
    real = export.xlsx_workbook

    def spy(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(export, "xlsx_workbook", spy)
    _before, chunks = _stream(app, as_user("lise"), "/portfolio/export.xlsx?sort=title")
    body = b"".join(chunks)
    assert len(made) == 1 and made[0].write_only
    rows = read_xlsx(body)
    assert [r[1] for r in rows[1:]] == titles


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
