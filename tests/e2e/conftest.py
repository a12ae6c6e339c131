"""Fixtures for the end-to-end tests: live server, Playwright, Chromium, page.

See tests/e2e/__init__.py for how to use them. Missing Chromium or Playwright skips these
tests locally and fails them under CI=true (tests.support.ci_guard.require).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e import CONTEXT_OPTIONS, screenshot
from tests.support.live_server import live_server  # noqa: F401 - the fixture

E2E_DIR = Path(__file__).parent
#: milliseconds any Playwright action or navigation may take before the test fails
DEFAULT_TIMEOUT_MS = 10_000
_CALL_REPORT = pytest.StashKey[pytest.TestReport]()
#: any http(s) URL whose host is not the loopback address
_NOT_LOOPBACK = re.compile(r"^https?://(?!(127\.0\.0\.1|localhost|\[::1\])([:/]|$))")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Called with every item of the session, not only ours.
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    # Remember the outcome of the test body so `page` can keep a screenshot of a failure.
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


@pytest.fixture()
def blocked_requests() -> list[str]:
    """URLs of the requests the page tried to make outside 127.0.0.1 (all refused)."""
    return []


@pytest.fixture()
def context(browser, live_server, blocked_requests):  # noqa: F811 - imported fixture
    """A fresh browser context (no cookies) per test; relative URLs go to the live server.

    Requests to any other host (a CDN, fonts, analytics) are refused at once and listed
    in `blocked_requests`: the site must work offline, as on a municipal intranet, and
    the tests must not hang on the network.
    """
    ctx = browser.new_context(base_url=live_server.url, **CONTEXT_OPTIONS)
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)

    def refuse(route):
        blocked_requests.append(route.request.url)
        route.abort("blockedbyclient")

    ctx.route(_NOT_LOOPBACK, refuse)
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context, request, blocked_requests) -> Iterator:
    """A new page; when the test fails its last state is saved as a screenshot."""
    pg = context.new_page()
    yield pg
    report = request.node.stash.get(_CALL_REPORT, None)
    if report is not None and report.failed and not pg.is_closed():
        if blocked_requests:
            print("\nrequests refused (not 127.0.0.1):\n  " + "\n  ".join(blocked_requests))
        try:
            path = screenshot(pg, f"FAILED-{request.node.nodeid}")
            print(f"\nscreenshot of the failed page: {path}")
        except Exception as exc:  # noqa: BLE001 - never hide the real failure
            print(f"\ncould not save a screenshot of the failed page: {exc}")
