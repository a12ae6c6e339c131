"""End-to-end tests: the real app over HTTP in a real Chromium (Playwright).

Fixtures (tests/e2e/conftest.py, and tests/support/browser.py for the whole session): ``live_server`` (session; ``.url``), ``playwright`` and
``browser`` (session), ``context`` and ``page`` (new per test: nb-NO, Europe/Oslo,
1280x900, ``base_url`` = the live server, so ``page.goto("/login")`` works).
Every test in this folder is marked ``e2e``. The demo directory's user is ida / demo.

Helpers importable from here::

    from tests.e2e import screenshot
    screenshot(page, "gate-approved")   # -> test-artifacts/screenshots/gate-approved.png

Only the system Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) is used; Playwright
never downloads a browser.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

# We launch with executable_path only; make sure nothing tries to fetch browsers.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

#: the browser binary (Debian's chromium package)
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
#: flags for a quiet, offline, container-friendly headless Chromium
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: every test's browser context: a Norwegian user's desktop browser
CONTEXT_OPTIONS = {
    "locale": "nb-NO",
    "timezone_id": "Europe/Oslo",
    "viewport": {"width": 1280, "height": 900},
}
#: where screenshots go (ignored by git, removed by `make clean`)
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def launch_chromium(playwright):
    """Launch the system Chromium headless through a started Playwright instance."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM_PATH, headless=True, args=LAUNCH_ARGS,
    )


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page as test-artifacts/screenshots/<name>.png; return its path."""
    safe = re.sub(r"[^\w.-]+", "_", name).strip("._") or "screenshot"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
