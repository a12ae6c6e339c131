"""The throwaway PostgreSQL server starts, answers, and leaves nothing behind."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.support.ci_guard import require
from tests.support.postgres import find_bindir, libpq_url, running_postgres

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", autouse=True)
def _needs_postgres_binaries():
    require(find_bindir() is not None,
            "PostgreSQL server programs not installed (bash scripts/install_test_deps.sh)")


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_running_postgres_answers_select_1_as_the_app_role_and_stops():
    with running_postgres() as url:
        assert url.startswith("postgresql+psycopg://faseport:")
        assert url.endswith("/faseport_test")
        with psycopg.connect(libpq_url(url), connect_timeout=5) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
            user, db, fsync = conn.execute(
                "select current_user, current_database(), current_setting('fsync')").fetchone()
            assert (user, db, fsync) == ("faseport", "faseport_test", "off")
            # The role owns its database: it can create the schema (as migrations do).
            conn.execute("create table t (id int primary key)")
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        assert _port_open(port)
    assert not _port_open(port), "server still running after the block"


def test_command_line_runs_the_command_with_the_url_and_cleans_up():
    child = (
        "import os, psycopg, sys\n"
        "url = os.environ['TEST_DATABASE_URL']\n"
        "assert url.startswith('postgresql+psycopg://'), url\n"
        "with psycopg.connect(url.replace('+psycopg', '', 1)) as c:\n"
        "    c.execute('select 1').fetchone()\n"
        "with psycopg.connect('') as c:\n"  # the PG* variables work too
        "    c.execute('select 1').fetchone()\n"
        "print('PORT', os.environ['PGPORT'])\n"
        "sys.exit(3)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.postgres", "--", sys.executable, "-c", child],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 3, result.stderr  # the command's own exit code
    port = int(result.stdout.split("PORT", 1)[1].split()[0])
    cluster_dir = Path(re.search(r"\(in (\S+)\)", result.stderr).group(1))
    assert not _port_open(port), "server still running after the command finished"
    assert not cluster_dir.exists(), "temporary cluster directory left behind"
