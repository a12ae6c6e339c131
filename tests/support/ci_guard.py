"""pytest plugin: under CI a skipped test is a failed test.

Locally a test may skip when a real dependency (slapd, PostgreSQL, Chromium) is missing.
In CI (environment CI=true) every skip — `pytest.skip`, `skipif`, `importorskip`, a
module-level skip — is reported as a failure with the reason, because a green run that
silently left out the directory, the database or the browser proves nothing. Expected
failures (xfail) are left alone.

Use `require(condition, reason)` in tests and fixtures for "needs X": it skips locally and
fails under CI.

Also registers the markers `sqlite_only`, `postgres_only` and `e2e`.
"""
from __future__ import annotations

import os

import pytest

_TRUE = {"1", "true", "yes", "on"}
#: per run: nodeid -> reason of every skip turned into a failure
_CONVERTED = pytest.StashKey[dict]()


def in_ci() -> bool:
    """True when the environment says we run in CI (CI=true, as GitHub/GitLab set it)."""
    return os.environ.get("CI", "").strip().lower() in _TRUE


def require(condition: object, reason: str) -> None:
    """Skip (locally) or fail (under CI) unless `condition` holds.

    Works inside tests, fixtures and at module level.
    """
    __tracebackhide__ = True  # report the caller's line, not this one
    if condition:
        return
    if in_ci():
        pytest.fail(f"required under CI=true: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def _skip_reason(longrepr) -> str:
    # A skip's longrepr is (path, lineno, "Skipped: reason").
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        path, lineno, message = longrepr
        message = str(message).removeprefix("Skipped: ")
        return f"{message} ({path}:{lineno})"
    return str(longrepr)


def _failure_text(reason: str) -> str:
    return (f"SKIPPED IS FAILED under CI=true (tests/support/ci_guard.py): "
            f"install or start what the test needs. Skip reason: {reason}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: runs only against SQLite (deselected with -m 'not sqlite_only')")
    config.addinivalue_line(
        "markers", "postgres_only: needs PostgreSQL (deselect with -m 'not postgres_only')")
    config.addinivalue_line(
        "markers", "e2e: end-to-end test in a real browser (tests/e2e/)")
    config.addinivalue_line(
        "markers", "own_database: starts its own PostgreSQL, so `make test` runs it once (SQLite pass)")
    config.stash[_CONVERTED] = {}


def pytest_report_header(config: pytest.Config) -> str | None:
    if in_ci():
        return "ci_guard: CI=true, so every skipped test counts as a failure"
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = _skip_reason(report.longrepr)
        item.config.stash[_CONVERTED][report.nodeid] = reason
        report.outcome = "failed"
        report.longrepr = _failure_text(reason)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    # A module-level skip / importorskip happens at collection, before any test report.
    report = yield
    if in_ci() and report.outcome == "skipped":
        reason = _skip_reason(report.longrepr)
        collector.config.stash[_CONVERTED][report.nodeid] = reason
        report.outcome = "failed"
        report.longrepr = _failure_text(reason)
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    converted = config.stash.get(_CONVERTED, {})
    if not converted:
        return
    tr = terminalreporter
    tr.section("ci_guard", sep="=", red=True, bold=True)
    tr.line(f"{len(converted)} skip(s) counted as failures because CI=true:", red=True)
    for nodeid, reason in converted.items():
        tr.line(f"  {nodeid or '<collection>'}: {reason}")
