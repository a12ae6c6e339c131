"""/portfolio: the table of every project a person may see, filtered, sorted and paged from
the query string; htmx swaps only the results; the number of SQL statements is fixed."""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl

import pytest

from app.portfolio.query import PortfolioFilter
from tests.portfolio import builders as b
from tests.portfolio.helpers import _text, row_html, table_rows


# --- the filter read from a query string -------------------------------------------------------
def test_filter_reads_query_string_and_ignores_nonsense():
    from werkzeug.datastructures import MultiDict

    filt = PortfolioFilter.from_args(MultiDict([
        ("stage", "planning"), ("stage", "draft"), ("stage", "execution"), ("stage", "planning"),
        ("unit", " Oppvekst "), ("owner", "ola"), ("status", "red"), ("status", "purple"),
        ("q", "  velferds   teknologi "), ("sort", "budget"), ("dir", "sideways"),
        ("page", "-3"), ("per_page", "100000"), ("programme", "x")]))
    assert filt.stages == ("planning", "execution")  # drafts can never be asked for
    assert filt.units == ("Oppvekst",)
    assert filt.statuses == ("red",)
    assert filt.q == "velferds teknologi"
    assert (filt.sort, filt.direction) == ("budget", "desc")  # numbers: largest first by default
    assert (filt.page, filt.per_page, filt.programme) == (1, 100, None)
    # Back into a stable query string, without defaults; and through it again unchanged.
    qs = filt.query_string()
    assert qs == ("stage=planning&stage=execution&unit=Oppvekst&owner=ola&status=red&"
                  "q=velferds+teknologi&sort=budget&dir=desc&per_page=100")
    assert PortfolioFilter.from_args(MultiDict(parse_qsl(qs))).query_string() == qs
    assert PortfolioFilter.from_args({"per_page": "400"}, max_per_page=500).per_page == 400


def test_sorted_by_turns_the_current_column_round_and_goes_back_to_page_one():
    filt = PortfolioFilter(sort="title", direction="asc", page=4)
    assert (filt.sorted_by("title").direction, filt.sorted_by("title").page) == ("desc", 1)
    assert filt.sorted_by("priority").direction == "desc"
    assert filt.sorted_by("owner").direction == "asc"


# --- the table ------------------------------------------------------------------------------
def test_table_shows_every_column_from_the_latest_published_report_and_plan(as_user, users):
    p = b.project(users, "Velferdsteknologi: medisindispensere", unit="Helse og omsorg")
    b.budget(p, 1_200_000)
    b.milestone(p, "M1", date(2020, 1, 1), done=date(2020, 1, 1), description="Når leverandør er valgt")
    b.milestone(p, "M3", date(2027, 3, 1), description="Når alle brukerne har fått dispenser")
    b.milestone(p, "M2", date(2026, 9, 15), description="Når piloten er evaluert")
    b.report(p, users["kari"], period="Februar 2026", days_ago=40, progress="red", cost="red")
    b.report(p, users["kari"], period="Mars 2026", days_ago=5, progress="yellow", cost="green")
    b.report(p, users["kari"], status="draft", period="April 2026", progress="red")  # a draft never counts
    b.benefit(p, users["kari"], baseline=100, target=50, measurements=((date(2025, 5, 1), 60), (date(2025, 9, 1), 75)))
    b.benefit(p, users["kari"], baseline=10, target=20, measurements=((date(2025, 9, 1), 25),))  # beyond target
    b.score(p, users["lise"], strategic=5, quality=4, economic=3, operational=5, risk_=2)
    html = as_user("per").get("/portfolio").get_data(as_text=True)
    row = row_html(html, p.id)
    assert "Velferdsteknologi: medisindispensere" in row
    assert "Planlegge" in row and "Helse og omsorg" in row and "Ola Nordmann" in row and "Kari Nordmann" in row
    assert "Gul" in row and "Rød" not in row and "Mars 2026" in row  # latest *published* report
    assert "Fremdrift: gul" in row and "Økonomi: grønn" in row and "Kvalitet: ikke vurdert" in row
    assert "M2" in row and "15.9.2026" in row and "Når piloten er evaluert" in row  # earliest open milestone
    assert "1 200 000 kr" in row
    # benefits: (100→75 of 100→50 = 50 %) and (10→25 of 10→20 = 100 %, capped) → 75 %; 1 of 2 reached
    assert "75 %" in row and "1 av 2 nådd" in row
    assert "21 / 25" in row  # 5+4+3+5+(6-2)


def test_draft_is_never_in_the_portfolio_not_even_for_its_author(as_user, users):
    b.project(users, "Min hemmelige kladd", stage="draft", submitter="ida")
    b.project(users, "Innsendt idé", stage="idea", submitter="ida")
    html = as_user("ida").get("/portfolio").get_data(as_text=True)
    assert table_rows(html) == ["Innsendt idé"]
    assert "Min hemmelige kladd" not in as_user("admin").get("/portfolio").get_data(as_text=True)


@pytest.fixture()
def spread(users):
    """Five projects that differ in every column."""
    a = b.project(users, "Åpne data", stage="execution", unit="Teknisk", owner="randi", manager="kari")
    b.budget(a, 500)
    b.report(a, users["kari"], progress="red")
    b.milestone(a, "M1", date(2026, 5, 1))
    b.score(a, users["lise"], strategic=1, quality=1, economic=1, operational=1, risk_=5)
    b.benefit(a, users["kari"], baseline=0, target=10, measurements=((date(2025, 1, 1), 10),))
    bb = b.project(users, "bemanningsplan", stage="idea", unit="Oppvekst", owner="ola", manager=None)
    b.score(bb, users["lise"], strategic=5, quality=5, economic=5, operational=5, risk_=1)
    c = b.project(users, "Chatbot", stage="planning", unit="Økonomi", owner="kari", manager="ola")
    b.budget(c, 9_000)
    b.report(c, users["kari"], progress="green")
    b.milestone(c, "M1", date(2026, 1, 1))
    b.benefit(c, users["kari"], baseline=0, target=10, measurements=((date(2025, 1, 1), 2),))
    d = b.project(users, "Digital postkasse", stage="planning", unit="Oppvekst", owner="ola", manager="ida")
    b.budget(d, 700)
    b.report(d, users["kari"], progress="yellow")
    b.milestone(d, "M9", date(2027, 1, 1))
    e = b.project(users, "Ekstra prosjekt", stage="concept", unit="Teknisk", owner="randi", manager="kari",
                  need="Behov for VELFERDSTEKNOLOGI i sonene")
    return {"a": a, "b": bb, "c": c, "d": d, "e": e}


SORTS = {
    # column: ascending order of the fixture's titles (empty values last in both directions)
    "title": ["bemanningsplan", "Chatbot", "Digital postkasse", "Ekstra prosjekt", "Åpne data"],
    "stage": ["bemanningsplan", "Ekstra prosjekt", "Chatbot", "Digital postkasse", "Åpne data"],
    "unit": ["bemanningsplan", "Digital postkasse", "Åpne data", "Ekstra prosjekt", "Chatbot"],
    "owner": ["Chatbot", "bemanningsplan", "Digital postkasse", "Åpne data", "Ekstra prosjekt"],
    "manager": ["Digital postkasse", "Åpne data", "Ekstra prosjekt", "Chatbot", "bemanningsplan"],
    "status": ["Chatbot", "Digital postkasse", "Åpne data", "bemanningsplan", "Ekstra prosjekt"],
    "milestone": ["Chatbot", "Åpne data", "Digital postkasse", "bemanningsplan", "Ekstra prosjekt"],
    "budget": ["Åpne data", "Digital postkasse", "Chatbot", "bemanningsplan", "Ekstra prosjekt"],
    "benefits": ["Chatbot", "Åpne data", "bemanningsplan", "Digital postkasse", "Ekstra prosjekt"],
    "priority": ["Åpne data", "bemanningsplan", "Chatbot", "Digital postkasse", "Ekstra prosjekt"],
}


@pytest.mark.parametrize("column", list(SORTS))
def test_sort_by_every_column_both_ways_with_empty_values_last(as_user, spread, column):
    client = as_user("per")
    asc = table_rows(client.get(f"/portfolio?sort={column}&dir=asc").get_data(as_text=True))
    desc = table_rows(client.get(f"/portfolio?sort={column}&dir=desc").get_data(as_text=True))
    expected = SORTS[column]
    assert asc == expected
    # Descending turns the filled values round (equal values too: the id breaks ties the
    # other way); rows without a value stay last.
    filled = {"title": 5, "stage": 5, "unit": 5, "owner": 5, "manager": 4, "status": 3, "milestone": 3,
              "budget": 3, "benefits": 2, "priority": 2}[column]
    if column == "stage":  # within a stage, by title A–Å either way
        assert desc == ["Åpne data", "Chatbot", "Digital postkasse", "Ekstra prosjekt", "bemanningsplan"]
    else:
        assert desc[:filled] == list(reversed(expected[:filled]))
    assert sorted(desc[filled:]) == sorted(expected[filled:])


def test_ties_break_by_id_so_paging_is_stable(as_user, users):
    for i in range(7):
        b.project(users, "Samme tittel", unit="Oppvekst")
    client = as_user("per")
    ids = []
    for n in (1, 2, 3):
        ids += [int(i) for i in re.findall(r'id="project-row-(\d+)"',
                                           client.get(f"/portfolio?sort=unit&per_page=3&page={n}").get_data(as_text=True))]
    assert ids == sorted(ids) and len(set(ids)) == 7


@pytest.mark.parametrize("query, expected", [
    ("stage=planning", ["Chatbot", "Digital postkasse"]),
    ("stage=planning&stage=idea", ["bemanningsplan", "Chatbot", "Digital postkasse"]),
    ("unit=Teknisk", ["Ekstra prosjekt", "Åpne data"]),
    ("owner=randi", ["Ekstra prosjekt", "Åpne data"]),
    ("manager=kari", ["Ekstra prosjekt", "Åpne data"]),
    ("status=red", ["Åpne data"]),
    ("status=green&status=yellow", ["Chatbot", "Digital postkasse"]),
    ("status=none", ["bemanningsplan", "Ekstra prosjekt"]),
    ("q=DIGITAL", ["Digital postkasse"]),
    ("q=åpne", ["Åpne data"]),  # Norwegian letters, any case (SQLite's lower() knows only A–Z)
    ("q=velferdsteknologi", ["Ekstra prosjekt"]),  # found in the need
    ("q=100%25", []),  # LIKE wildcards are taken literally
    ("stage=planning&owner=ola&q=post", ["Digital postkasse"]),
    ("unit=Finnes+ikke", []),
])
def test_filters(as_user, spread, query, expected):
    html = as_user("per").get(f"/portfolio?{query}&sort=stage").get_data(as_text=True)
    assert sorted(table_rows(html)) == sorted(expected)


def test_filter_options_come_from_visible_projects(as_user, spread):
    html = as_user("per").get("/portfolio").get_data(as_text=True)
    owners = re.search(r'<select[^>]*name="owner">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="(\w+)"', owners) == ["kari", "ola", "randi"]
    units = re.search(r'<select[^>]*name="unit">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="([^"]+)"', units) == ["Oppvekst", "Teknisk", "Økonomi"]


def test_paging_fifty_per_page_in_norwegian_with_links_keeping_the_filters(as_user, users):
    for i in range(53):
        b.project(users, f"Prosjekt {i:02d}", stage=("planning", "execution")[i % 2])
    client = as_user("per")
    first = client.get("/portfolio?sort=title").get_data(as_text=True)
    assert len(table_rows(first)) == 50 and "Viser 1–50 av 53 prosjekter" in _text(first)
    assert 'class="ds-pagination' in first and 'aria-label="Side 2"' in first
    assert 'href="/portfolio?sort=title&amp;dir=asc&amp;page=2"' in first
    second = client.get("/portfolio?sort=title&page=2").get_data(as_text=True)
    assert table_rows(second) == ["Prosjekt 50", "Prosjekt 51", "Prosjekt 52"]
    assert 'aria-current="true">2</a>' in second
    # Past the end: the last page.
    assert table_rows(client.get("/portfolio?sort=title&page=99").get_data(as_text=True)) == table_rows(second)
    # Filters and page size travel in the links.
    filtered = client.get("/portfolio?stage=planning&per_page=25&sort=title").get_data(as_text=True)
    assert "Viser 1–25 av 27 prosjekter" in _text(filtered)
    assert "stage=planning&amp;sort=title&amp;dir=asc&amp;per_page=25&amp;page=2" in filtered


def test_htmx_gets_only_the_results_block_and_the_same_url_gives_the_whole_page(as_user, users, app):
    b.project(users, "Chatbot", stage="planning")
    b.project(users, "Bemanningsplan", stage="idea")
    client = as_user("per")
    url = "/portfolio?stage=planning"
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert "HX-Request" in fragment.headers["Vary"]
    text = fragment.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="portfolio-results"') and "<html" not in text
    assert table_rows(text) == ["Chatbot"]
    assert 'hx-swap-oob="true"' in text and "1 prosjekt" in text  # announced to screen readers
    page = client.get(url).get_data(as_text=True)
    assert "<html" in page and table_rows(page) == ["Chatbot"]
    assert 'hx-push-url="true"' in page and 'hx-target="#portfolio-results"' in page
    # The back button (htmx history restore) gets the whole page.
    restore = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_links_keep_the_view(as_user, users):
    b.project(users, "Chatbot", stage="planning")
    html = as_user("per").get("/portfolio?stage=planning&q=chat&sort=budget&dir=asc").get_data(as_text=True)
    assert 'href="/portfolio/export.csv?stage=planning&amp;q=chat&amp;sort=budget&amp;dir=asc"' in html
    assert 'href="/portfolio/export.xlsx?stage=planning&amp;q=chat&amp;sort=budget&amp;dir=asc"' in html
    # Sorting by another column keeps the filters and starts on page 1.
    assert 'href="/portfolio?stage=planning&amp;q=chat&amp;sort=priority&amp;dir=desc"' in html
    # The filter form carries the sort, so a new filter keeps it.
    assert '<input type="hidden" name="sort" value="budget" form="portfolio-filters">' in html


def test_query_count_does_not_grow_with_rows(as_user, users, count_queries):
    client = as_user("per")
    for i in range(3):
        b.full_project(users, f"Prosjekt {i}", n=i, restricted=(i == 2))
    few = count_queries(lambda: client.get("/portfolio"))
    few_sorted = count_queries(lambda: client.get("/portfolio?sort=benefits&status=yellow&q=prosjekt"))
    few_csv = count_queries(lambda: client.get("/portfolio/export.csv"))
    for i in range(3, 30):
        b.full_project(users, f"Prosjekt {i}", n=i, restricted=(i % 7 == 0),
                       owner=("ola", "randi")[i % 2], manager=("kari", "ida")[i % 2])
    # Building them may take over a minute on a busy machine, and the next request then
    # writes the session's last_seen_at (one statement, by the clock, not by the rows).
    client.get("/portfolio")
    many = count_queries(lambda: client.get("/portfolio"))
    many_sorted = count_queries(lambda: client.get("/portfolio?sort=benefits&status=yellow&q=prosjekt"))
    html = client.get("/portfolio").get_data(as_text=True)
    assert len(table_rows(html)) == 30 - 5  # Prosjekt 2, 7, 14, 21 and 28 are restricted
    assert (few, few_sorted) == (many, many_sorted), (few, many, few_sorted, many_sorted)
    # …and the export of every row does not grow either.
    assert count_queries(lambda: client.get("/portfolio/export.csv")) == few_csv
