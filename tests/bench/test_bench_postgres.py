"""`make bench` on PostgreSQL, the way the README runs it with no server at hand: a
throwaway cluster from tests.support.postgres, DATABASE_URL taken from it, and the bench
script (at a small scale here; the README's full run takes about 25 minutes)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

#: it starts its own PostgreSQL: once is enough (in the SQLite pass)
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_runs_on_a_throwaway_postgresql_and_prints_the_table(tmp_path):
    command = (f"DATABASE_URL=$TEST_DATABASE_URL {sys.executable} scripts/bench.py "
               f"--sizes 30,60 --staff 40 --requests 1 --cache {tmp_path}")
    done = subprocess.run([sys.executable, "-m", "tests.support.postgres", "--", "sh", "-c", command],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    out = done.stdout
    assert done.returncode in (0, 1), done.stderr[-3000:]  # 1: a target missed at this tiny scale
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "Faseport bench på PostgreSQL: 30, 60 prosjekter" in out
    for size in ("30 prosjekter", "60 prosjekter"):
        assert f"\n{size}\n" in out
    assert "(svarte" not in out  # every page answered 200
    # Every page and both floors measured, with a CPU time that includes the server's.
    for label in ("Portefølje, tabellen", "Gulv: tabellen", "Strengt gulv: med paneler", "IKT-køen",
                  "CSV-eksport", "XLSX-eksport"):
        assert re.search(rf"  {re.escape(label)}\s+\w+\s+[\d.]+", out), label
    assert re.search(r"PASS  Portefølje, tabellen: \d+ SQL-spørringer ved 60, \d+ ved 30", out)
