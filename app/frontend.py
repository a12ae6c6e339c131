"""Where pages load htmx and Designsystemet from.

The packages are pinned in package.json; `scripts/vendor.py` copies them from npm into
static/vendor/. Pages load them from the public CDN with a Subresource Integrity hash and
fall back to the local copy (static/js/fallback.js). With HTMX_FROM_CDN=0 pages use only
the local copies, for intranets without internet. Where no local copy exists (npm was
missing at set-up), pages use the CDN only.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, url_for

CDN = "https://cdn.jsdelivr.net/npm"


@dataclass(frozen=True)
class Asset:
    """One pinned front-end file: its npm path and its SRI hash."""

    package: str
    version: str
    path: str  # inside the package
    local: str  # under static/vendor/
    integrity: str

    @property
    def cdn_url(self) -> str:
        return f"{CDN}/{self.package}@{self.version}/{self.path}"


#: keep these in step with package.json; tests/test_frontend.py checks the hashes
ASSETS = {
    "htmx": Asset("htmx.org", "2.0.11", "dist/htmx.min.js", "htmx.min.js",
                  "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"),
    "ds_css": Asset("@digdir/designsystemet-css", "1.22.0", "dist/src/index.css",
                    "designsystemet.css",
                    "sha384-7iq02ihAnIZp7H7oXTVFQBQtfZm8rBhw61Xx651TMC9ZVwWjqnbwUb8bNQzWp7b9"),
    "ds_theme": Asset("@digdir/designsystemet-theme", "1.11.0", "brand/digdir.css",
                      "designsystemet-theme.css",
                      "sha384-jTkmx+pLlX9juifDBM+DtRSIHeTpqtVldcjc1ZSeuIliGn2rA8hHZ1yKHTAmG0WQ"),
}


def vendor_dir(app: Flask) -> Path:
    return Path(app.static_folder) / "vendor"


def init_app(app: Flask) -> None:
    """Decide once at start-up how assets are served and give templates `asset()`."""
    have_local = all((vendor_dir(app) / a.local).is_file() for a in ASSETS.values())
    use_cdn = app.config["HTMX_FROM_CDN"] or not have_local
    if not have_local:
        app.logger.warning(
            "static/vendor/ is empty (npm was missing at set-up): loading htmx and "
            "Designsystemet from %s only", CDN)
    app.extensions["faseport_assets"] = {"use_cdn": use_cdn, "have_local": have_local}

    def asset(name: str) -> dict:
        a = ASSETS[name]
        local = url_for("static", filename=f"vendor/{a.local}") if have_local else None
        if use_cdn:
            return {"src": a.cdn_url, "integrity": a.integrity, "fallback": local}
        return {"src": local, "integrity": None, "fallback": None}

    app.jinja_env.globals["asset"] = asset
    fonts = [f"vendor/inter/latin-{w}.css" for w in ("400", "600")]
    app.jinja_env.globals["font_css"] = [
        f for f in fonts if (Path(app.static_folder) / f).is_file()]
