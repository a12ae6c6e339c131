"""`make bench` at small scale: the number of SQL statements per page must not grow with
the data. The same code as scripts/bench.py fills two fresh SQLite databases, one with
50 projects and one with 500, and measures every page on both."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

#: the bench is SQLite by design (its own files): no need to run it again on PostgreSQL
pytestmark = pytest.mark.sqlite_only

BENCH = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("faseport_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def measured(bench, tmp_path_factory):
    """(filled, results) for a small and a ten times larger portfolio."""
    tmp = tmp_path_factory.mktemp("bench")
    small = bench.run(tmp / "small.db", projects=50, staff=40, requests=2, slow_requests=1)
    large = bench.run(tmp / "large.db", projects=500, staff=300, requests=2, slow_requests=1)
    return small, large


def test_the_databases_are_filled_in_every_table_that_exists(measured):
    (small, _), (large, _) = measured
    assert small.counts["project"] == 50 and large.counts["project"] == 500
    for table in ("user", "project_member", "gate_request", "gate_decision", "milestone", "benefit",
                  "risk", "status_report", "technical_task"):
        assert large.counts.get(table, 0) > small.counts.get(table, 0) > 0, table


def test_every_page_answers_200(measured):
    for _filled, results in measured:
        for r in results:
            assert r.statuses == {200}, (r.label, r.statuses)


def test_the_pages_that_exist_are_measured(measured):
    (_, results), _ = measured
    keys = {r.key for r in results}
    assert {"project", "gate", "mine", "ikt", "privacy", "feed"} <= keys
    try:
        import app.portfolio.routes  # noqa: F401
    except ImportError:
        return
    assert {"portfolio", "portfolio_panels", "portfolio_sorted", "csv", "xlsx"} <= keys


def test_query_counts_do_not_grow_with_the_data(bench, measured):
    (_, small), (_, large) = measured
    small_counts, large_counts = bench.query_counts(small), bench.query_counts(large)
    assert large_counts["csv"] == large_counts["xlsx"] == (3, 3)  # an export is one streaming statement
    assert set(small_counts) == set(large_counts)
    grown = {key: (small_counts[key], large_counts[key]) for key in small_counts
             if large_counts[key][1] > small_counts[key][1]}
    assert not grown, f"statements per request grew with ten times the data: {grown}"
