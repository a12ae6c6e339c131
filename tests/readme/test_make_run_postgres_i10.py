"""README, "Start it": `DATABASE_URL=postgresql+psycopg://… make run`, typed as a reader
would, against a throwaway PostgreSQL of the test's own (tests/support/postgres.py): the
site is served on a free PORT, `ida` / `demo` signs in over HTTP, and a second `make run`
leaves the data as it was.

The command is read from README.md; only the `…` of its address (and the port, which must
be free here) is filled in. `make run` is started through tests/readme/make_run_helpers.py.
"""
from __future__ import annotations

import subprocess

import pytest

from tests.readme.make_run_helpers import Browser, MakeRun, readme_block, readme_settings
from tests.support.postgres import PostgresCluster

#: the demo's own records; signing in adds sessions and audit rows, nothing here
DEMO_TABLES = ("project", "gate_request", "gate_decision", "risk", "benefit", "milestone",
               "stakeholder", "status_report", "outbox_mail")


def counts(pg: PostgresCluster) -> dict[str, int]:
    sql = " union all ".join(f"select '{t}', count(*) from {t}" for t in DEMO_TABLES)
    done = subprocess.run(["psql", pg.libpq_url, "-X", "-At", "-F", "=", "-c", sql],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return {name: int(n) for name, n in (line.split("=") for line in done.stdout.split())}


@pytest.mark.own_database
def test_make_run_on_postgresql_serves_the_demo_and_a_second_run_changes_nothing(tmp_path):
    settings, command = readme_settings(readme_block("## Start it: `make run`", "DATABASE_URL=postgresql"))
    assert command == "make run"
    assert settings.pop("DATABASE_URL").startswith("postgresql+psycopg://"), settings
    with PostgresCluster() as pg:
        with MakeRun(settings, pg.url, tmp_path / "first.log") as site:
            browser = Browser(site.url)
            status, _html, _headers = browser.sign_in("ida", "demo")
            assert status == 302, site.output()[-3000:]
            status, html, _headers = browser.get("/")
            assert status == 200 and "Ida Berg" in html
            assert "Demodata lastet." in site.output()
        first = counts(pg)
        assert first["project"] >= 20 and first["gate_decision"] >= 1, first

        with MakeRun(settings, pg.url, tmp_path / "second.log") as again:
            assert "Demodata finnes allerede; ingenting endret." in again.output()
            browser = Browser(again.url)
            assert browser.sign_in("ola", "demo")[0] == 302
            assert "Ola Nordmann" in browser.get("/")[1]
        assert counts(pg) == first
