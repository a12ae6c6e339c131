"""Take screenshots of pages as a signed-in person, for looking at what we build.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:5000 ola /projects/1 /projects/1/gates/BP1

Saves PNGs under test-artifacts/screenshots/. Uses Debian's Chromium (no download).
"""
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(base: str, username: str, paths: list[str]) -> None:
    out = Path("test-artifacts/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nb-NO")
        page.goto(f"{base}/login")
        page.fill("#username", username)
        page.fill("#password", "demo")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            name = f"{username}{re.sub(r'[^a-zA-Z0-9]+', '_', path)}.png"
            page.screenshot(path=str(out / name), full_page=True)
            print(out / name)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
