"""End to end: Lise in portfolio management narrows the portfolio to the projects in
planning (htmx swaps the table, the address follows) and downloads them as an Excel file."""
from __future__ import annotations

import re
from datetime import date

from openpyxl import load_workbook

from app.extensions import db
from tests.e2e import screenshot
from tests.e2e.test_sign_in_e2e import sign_in
from tests.portfolio import builders as b
from tests.support.factories import make_user

PLANNING = ["Tillitsmodellen i hjemmetjenesten", "Velferdsteknologi: medisindispensere", "Digital byggesøknad"]


def _portfolio(app) -> None:
    """Projects in several stages, with the numbers the overview shows, written with the ORM."""
    with app.app_context():
        users = {name: make_user(name, display_name=full, unit=unit) for name, full, unit in (
            ("ola", "Ola Nordmann", "Helse og omsorg"), ("kari", "Kari Nordmann", "Rådmannens stab"),
            ("ida", "Ida Berg", "Helse og omsorg"), ("randi", "Randi Strand", "Rådmannens stab"),
            ("tor", "Tor Eriksen", "Teknisk"))}
        users["lise"] = users["randi"]  # scores are set by someone in the portfolio role; lise signs in herself
        for n, title in enumerate(PLANNING):
            p = b.full_project(users, title, n=n, stage="planning",
                               unit=("Helse og omsorg", "Helse og omsorg", "Teknisk")[n],
                               owner=("ola", "ola", "tor")[n])
            if n == 1:
                b.milestone(p, "M9", date(2027, 5, 1), description="Når alle brukerne har fått dispenser")
        b.full_project(users, "Digital postkasse for innbyggerne", n=3, stage="execution", unit="Rådmannens stab",
                       owner="randi", manager="kari")
        b.project(users, "Chatbot for eiendomsskatt", stage="idea", owner="randi", manager=None)
        b.project(users, "Elektroniske skjemaer", stage="concept", owner="randi", manager="kari")
        b.project(users, "Skjult barnevernsprosjekt", stage="planning", restricted=True, owner="randi")
        db.session.remove()


def test_lise_filters_to_planning_and_downloads_excel(app, page, live_server, tmp_path):
    _portfolio(app)
    sign_in(page, "lise")
    page.get_by_role("link", name="Portefølje").click()
    page.wait_for_url("**/portfolio")
    assert page.get_by_role("heading", name="Porteføljen", level=1).is_visible()
    assert page.locator(".portfolio-table tbody tr").count() == 7  # lise sees the restricted one too
    screenshot(page, "portfolio/lise-overview")

    # Choosing a stage updates the table in place and the address says so.
    page.get_by_label("Fase", exact=True).select_option(label="Planlegge")
    page.wait_for_url(re.compile(r".*/portfolio\?stage=planning$"))
    rows = page.locator(".portfolio-table tbody tr")
    rows.first.wait_for()
    page.wait_for_function("document.querySelectorAll('.portfolio-table tbody tr').length === 4")
    titles = sorted(t.strip() for t in page.locator(".portfolio-table tbody tr td.col-title a.ds-link:first-child")
                    .all_inner_texts())
    assert titles == sorted(PLANNING + ["Skjult barnevernsprosjekt"])
    assert "4 prosjekter" in page.locator("#portfolio-count").inner_text()
    # The panels come after the table, for the same view.
    page.wait_for_function("(document.querySelector('#funnel-desc') || {}).textContent?.includes('Planlegge: 4')")
    assert "Planlegge: 4" in page.locator("#funnel-desc").text_content()
    screenshot(page, "portfolio/lise-planning")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel").click()
    download = download_info.value
    assert re.fullmatch(r"portefolje-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nr.", "Tittel", "Fase")
    assert sorted(r[1] for r in rows[1:]) == sorted(PLANNING + ["Skjult barnevernsprosjekt"])
    assert {r[2] for r in rows[1:]} == {"Planlegge"}

    # Sorting by a column header keeps the filter; the address follows.
    page.locator("#sort-budget").click()
    page.wait_for_url(re.compile(r".*/portfolio\?stage=planning&sort=budget&dir=desc$"))
    page.wait_for_function("document.querySelector('th.col-budget').getAttribute('aria-sort') === 'descending'")
    first = page.locator(".portfolio-table tbody tr").first.locator("td.col-title a").first.inner_text()
    assert first == "Digital byggesøknad"  # the largest budget of the three (300 000 kr)

    # Saving the view keeps what is shown now, and it is listed at once.
    page.get_by_label("Lagre utvalget som").fill("Planlegging etter budsjett")
    page.get_by_role("button", name="Lagre visningen").click()
    page.get_by_text("Visningen «Planlegging etter budsjett» er lagret.").wait_for()
    link = page.get_by_role("link", name="Planlegging etter budsjett")
    assert link.get_attribute("href") == "/portfolio?stage=planning&sort=budget&dir=desc"
    screenshot(page, "portfolio/lise-saved-view")

    # The same address without JavaScript's help gives the same table (a shared link).
    page.goto("/portfolio?stage=planning")
    assert page.locator(".portfolio-table tbody tr").count() == 4
    assert page.get_by_label("Fase", exact=True).input_value() == "planning"
