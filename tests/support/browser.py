"""The one Playwright and the one Chromium of a test run, for every browser test.

A sync Playwright cannot start beside another in the same process ("using Playwright Sync
API inside the asyncio loop"), so these session fixtures are registered once for the whole
session (tests/conftest.py's pytest_plugins) rather than in a folder's conftest: the e2e
tests, the accessibility crawl and the language crawl all get the same instances.
"""
from __future__ import annotations

import os

import pytest

from tests.e2e import CHROMIUM_PATH, launch_chromium
from tests.support.ci_guard import require


@pytest.fixture(scope="session")
def playwright():
    """A started Playwright (sync API) for the whole run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        require(False, "the playwright Python package is not installed (make setup)")
    pw = sync_playwright().start()
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def browser(playwright):
    """The system Chromium, headless, shared by all tests (each gets its own context)."""
    require(os.access(CHROMIUM_PATH, os.X_OK),
            f"{CHROMIUM_PATH} not found (bash scripts/install_test_deps.sh installs chromium)")
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()
