"""/portfolio/export.csv and .xlsx: exactly the rows (every page) and columns of the view,
with Norwegian headers, as Norwegian Excel wants them."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.portfolio import builders as b
from tests.portfolio.helpers import read_csv, read_xlsx, table_rows

HEADERS = ["Nr.", "Tittel", "Fase", "Enhet", "Prosjekteier", "Prosjektleder", "Status", "Fremdrift", "Økonomi",
           "Kvalitet", "Risiko", "Gevinster", "Statusperiode", "Neste milepæl", "Milepælsdato", "Budsjett (kr)",
           "Forbrukt (kr)", "Gevinstrealisering (%)", "Gevinster nådd", "Gevinster i alt", "Prioritet (5–25)", "Program", "Skjermet"]


@pytest.fixture()
def portfolio(users):
    p = b.project(users, "Velferdsteknologi; medisindispensere", stage="planning", unit="Helse og omsorg")
    b.budget(p, 1_250_000)
    b.milestone(p, "M2", date(2026, 9, 5), description="Når piloten er evaluert")
    b.report(p, users["kari"], period="Februar 2026", days_ago=30, spent_to_date_nok=100_000)
    b.report(p, users["kari"], period="Mars 2026", progress="yellow", cost="green", risk="red",
             spent_to_date_nok=312_500)
    b.benefit(p, users["kari"], baseline=100, target=50, measurements=((date(2025, 9, 1), 75),))
    b.score(p, users["lise"], strategic=5, quality=4, economic=3, operational=5, risk_=2)
    b.programme("Velferdsteknologi", users["ola"], p)
    q = b.project(users, "=HYPERLINK(\"http://evil\")", stage="planning", unit="Teknisk", owner="randi")
    r = b.project(users, "Chatbot for eiendomsskatt", stage="idea", unit="Økonomi", manager=None)
    for i in range(4):
        b.project(users, f"Planleggingsprosjekt {i}", stage="planning", unit="Oppvekst")
    return {"p": p, "q": q, "r": r}


def test_csv_is_utf8_with_bom_semicolons_norwegian_headers_and_a_dated_attachment(as_user, portfolio):
    response = as_user("lise").get("/portfolio/export.csv?stage=planning&sort=title")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    today = datetime.now(ZoneInfo("Europe/Oslo")).strftime("%Y-%m-%d")  # the date in Oslo, as the file says
    assert response.headers["Content-Disposition"] == f'attachment; filename="portefolje-{today}.csv"'
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbfNr.;Tittel;Fase;")
    rows = read_csv(data)
    assert rows[0] == HEADERS
    p = portfolio["p"]
    line = next(r for r in rows if r[1] == "Velferdsteknologi; medisindispensere")  # the ; is quoted
    assert line == [str(p.id), "Velferdsteknologi; medisindispensere", "Planlegge", "Helse og omsorg", "Ola Nordmann",
                    "Kari Nordmann", "Rød", "Gul", "Grønn", "", "Rød", "", "Mars 2026", "M2 Når piloten er evaluert",
                    "05.09.2026", "1250000", "312500", "50", "0", "1", "21", "Velferdsteknologi", ""]
    # A title that a spreadsheet would run as a formula is kept as text.
    assert any(r[1] == "'=HYPERLINK(\"http://evil\")" for r in rows)


def test_exports_hold_every_page_of_the_view_in_its_order(as_user, portfolio):
    client = as_user("per")
    query = "stage=planning&sort=title&dir=desc&per_page=2"
    shown = []
    for n in (1, 2, 3):
        shown += table_rows(client.get(f"/portfolio?{query}&page={n}").get_data(as_text=True))
    assert len(shown) == 6  # three pages of two
    csv_titles = [r[1].lstrip("'") for r in read_csv(client.get(f"/portfolio/export.csv?{query}").get_data())[1:]]
    xlsx_titles = [r[1] for r in read_xlsx(client.get(f"/portfolio/export.xlsx?{query}").get_data())[1:]]
    html_titles = [re.sub("&#34;|&quot;", '"', t) for t in shown]
    assert csv_titles == html_titles == xlsx_titles
    # No filters: everything the person may see, ideas too.
    everything = read_csv(client.get("/portfolio/export.csv").get_data())
    assert len(everything) - 1 == 7


def test_xlsx_has_real_numbers_and_dates_and_the_same_columns(as_user, portfolio):
    response = as_user("lise").get("/portfolio/export.xlsx?q=velferd")
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert re.fullmatch(r'attachment; filename="portefolje-\d{4}-\d{2}-\d{2}\.xlsx"',
                        response.headers["Content-Disposition"])
    rows = read_xlsx(response.get_data())
    assert rows[0] == HEADERS
    assert len(rows) == 2
    row = dict(zip(HEADERS, rows[1]))
    assert row["Tittel"] == "Velferdsteknologi; medisindispensere"
    assert row["Milepælsdato"] == datetime(2026, 9, 5)  # a real date (openpyxl reads datetimes)
    assert row["Forbrukt (kr)"] == 312500  # from the latest published report
    assert row["Budsjett (kr)"] == 1250000 and row["Prioritet (5–25)"] == 21 and row["Gevinstrealisering (%)"] == 50
    assert row["Status"] == "Rød" and row["Fremdrift"] == "Gul"


def test_xlsx_keeps_formula_like_text_as_text(as_user, portfolio):
    from io import BytesIO

    from openpyxl import load_workbook

    data = as_user("lise").get("/portfolio/export.xlsx?unit=Teknisk").get_data()
    ws = load_workbook(BytesIO(data)).active
    assert ws["B2"].value == '=HYPERLINK("http://evil")' and ws["B2"].data_type == "s"


def test_export_of_an_empty_view_is_just_the_headers(as_user, portfolio):
    rows = read_csv(as_user("per").get("/portfolio/export.csv?q=finnes-ikke").get_data())
    assert rows == [HEADERS]
    assert read_xlsx(as_user("per").get("/portfolio/export.xlsx?q=finnes-ikke").get_data()) == [HEADERS]


def test_exports_need_sign_in(client):
    for url in ("/portfolio/export.csv", "/portfolio/export.xlsx", "/portfolio"):
        response = client.get(url)
        assert response.status_code in (302, 401)
        assert "/login" in response.headers.get("Location", "/login")
