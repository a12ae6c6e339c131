"""Smoke test: the app answers a real browser over HTTP (and the e2e fixtures work)."""
from __future__ import annotations

from tests.e2e import SCREENSHOT_DIR, screenshot


def test_healthz_answers_json_status_in_the_browser(page, live_server):
    response = page.goto(f"{live_server.url}/healthz")

    assert response is not None and response.status == 200
    assert "application/json" in response.headers.get("content-type", "")
    assert "status" in page.text_content("body")

    path = screenshot(page, "smoke/healthz")
    assert path == SCREENSHOT_DIR / "smoke_healthz.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_page_is_norwegian_in_oslo_and_never_leaves_loopback(page, live_server, blocked_requests):
    """The e2e fixtures themselves: locale, time zone, viewport, and no outside network."""
    page.goto("/healthz")  # relative: base_url is the live server
    assert page.url == f"{live_server.url}/healthz"
    assert page.evaluate("navigator.language") == "nb-NO"
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "Europe/Oslo"
    assert page.evaluate("new Date(Date.UTC(2026, 6, 1, 10)).getHours()") == 12  # CEST
    assert page.viewport_size == {"width": 1280, "height": 900}

    page.goto("about:blank")  # away from the app's Content-Security-Policy
    page.set_content('<img src="https://cdn.jsdelivr.net/npm/x.png">'
                     f'<img src="{live_server.url}/healthz">')
    assert blocked_requests == ["https://cdn.jsdelivr.net/npm/x.png"]
