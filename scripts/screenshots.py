"""Take screenshots of pages as a signed-in person, for looking at what we build.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:5000 ola /projects/1 /projects/1/gates/BP1
    .venv/bin/python scripts/screenshots.py --width 390 http://127.0.0.1:5000 ola /projects/1

Saves PNGs under test-artifacts/screenshots/ (the width in the name). Uses Debian's
Chromium (no download). --width gives the window width in CSS px (default 1,280; 390 is
a phone, 320 the reflow limit of WCAG 1.4.10).
"""
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(base: str, username: str, paths: list[str], width: int = 1280) -> None:
    out = Path("test-artifacts/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900}, locale="nb-NO")
        page.goto(f"{base}/login")
        page.fill("#username", username)
        page.fill("#password", "demo")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            name = f"{username}{re.sub(r'[^a-zA-Z0-9]+', '_', path)}-{width}.png"
            page.screenshot(path=str(out / name), full_page=True)
            print(out / name)
        browser.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    size = 1280
    if args[:1] == ["--width"]:
        size, args = int(args[1]), args[2:]
    main(args[0], args[1], args[2:], width=size)
