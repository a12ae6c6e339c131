"""README, "Start it: `make run`": the demo from a clean state, signed in as ida over HTTP,
and a second `make run` that leaves the data as it was."""
from __future__ import annotations

import sqlite3

import pytest

from tests.readme.make_run_helpers import Browser, MakeRun, readme_block

pytestmark = pytest.mark.sqlite_only  # `make run` uses its own SQLite database


def _counts(db_file) -> tuple[int, int, int]:
    with sqlite3.connect(db_file) as connection:
        return tuple(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in ("project", "user", "gate_decision"))


def test_make_run_serves_the_demo_and_a_second_run_changes_nothing(tmp_path):
    assert readme_block("## Start it: `make run`", "make run").strip() == "make run"
    db_file = tmp_path / "faseport.db"
    database_url = f"sqlite:///{db_file}"

    with MakeRun({}, database_url, tmp_path / "first.log") as site:
        browser = Browser(site.url)
        status, _html, headers = browser.sign_in("ida", "demo")
        assert status == 302, site.output()
        status, html, _headers = browser.get("/")
        assert status == 200 and "Ida Berg" in html
        assert "Demodata lastet." in site.output()
        first = _counts(db_file)
    assert first[0] >= 20 and first[1] >= 30  # the demo's projects and its staff

    with MakeRun({}, database_url, tmp_path / "second.log") as again:
        assert "Demodata finnes allerede; ingenting endret." in again.output()
        status, _html, _headers = Browser(again.url).sign_in("ola", "demo")
        assert status == 302
    assert _counts(db_file)[0] == first[0] and _counts(db_file)[2] == first[2]
