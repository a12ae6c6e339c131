"""The CI guard turns skips into failures under CI=true, and leaves xfail alone."""
from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SAMPLE = """
import pytest
from tests.support.ci_guard import require

def test_passes():
    pass

def test_skips():
    pytest.skip("no slapd here")

@pytest.mark.skipif(True, reason="needs chromium")
def test_skipif():
    pass

@pytest.fixture
def needs_postgres():
    require(False, "no PostgreSQL server programs")

def test_require_in_fixture(needs_postgres):
    pass

@pytest.mark.xfail(reason="known bug")
def test_xfail():
    assert False

@pytest.mark.sqlite_only
def test_sqlite_only():
    pass

@pytest.mark.e2e
def test_e2e_marked():
    pass
"""

MODULE_SKIP = """
import pytest
pytest.importorskip("module_that_does_not_exist_xyz")

def test_never_runs():
    pass
"""


@pytest.fixture
def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    """Run pytest in-process on the given files with the guard and CI set or not."""
    def _run(ci: bool, **files):
        if ci:
            monkeypatch.setenv("CI", "true")
        else:
            monkeypatch.delenv("CI", raising=False)
        pytester.makepyfile(**files)
        return pytester.runpytest_inprocess("-p", "tests.support.ci_guard", "--strict-markers", "-rA")
    return _run


def test_locally_skips_stay_skips(run):
    result = run(False, test_sample=SAMPLE)
    result.assert_outcomes(passed=3, skipped=3, xfailed=1)


def test_under_ci_every_skip_fails_with_its_reason(run):
    result = run(True, test_sample=SAMPLE)
    # pytest.skip / skipif fail in call / setup; require() fails its fixture (an error).
    result.assert_outcomes(passed=3, failed=1, errors=2, xfailed=1)
    result.stdout.fnmatch_lines([
        "*CI=true, so every skipped test counts as a failure*",
        "*ERROR at setup of test_skipif*",
        "SKIPPED IS FAILED under CI=true*needs chromium*",
        "*ERROR at setup of test_require_in_fixture*",
        "required under CI=true: no PostgreSQL server programs",
        "*_ test_skips _*",
        "SKIPPED IS FAILED under CI=true*no slapd here*",
        "*= ci_guard =*",
        "2 skip(s) counted as failures because CI=true:",
    ])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_under_ci_a_module_level_importorskip_fails_collection(run):
    result = run(True, test_mod=MODULE_SKIP)
    result.stdout.fnmatch_lines(["*SKIPPED IS FAILED under CI=true*module_that_does_not_exist_xyz*"])
    assert result.ret != pytest.ExitCode.OK
    assert run(False, test_mod=MODULE_SKIP).ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_markers_are_registered_so_they_can_be_deselected(run, pytester: pytest.Pytester):
    run(False, test_sample=SAMPLE)
    result = pytester.runpytest_inprocess("-p", "tests.support.ci_guard", "--strict-markers",
                                          "-m", "not sqlite_only and not e2e")
    result.assert_outcomes(passed=1, skipped=3, xfailed=1, deselected=2)
