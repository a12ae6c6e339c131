"""Accessibility in Chromium: axe (WCAG 2.1 AA), focus after every htmx swap, reflow at
320 px and keyboard-only journeys. Uses the browser and live server of tests/e2e
(conftest.py there), shared with the other end-to-end tests."""
