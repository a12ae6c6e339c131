"""HTML to PDF/A-2b with WeasyPrint: the format Noark 5 archives take.

PDF/A-2b: XMP metadata saying pdfaid:part 2, conformance B; an OutputIntent with an sRGB
ICC profile; every font embedded (WeasyPrint embeds subsets of the fonts it uses). The
documents are drawn with Inter from static/vendor (SIL Open Font License 1.1, which
allows embedding) and fall back to DejaVu Sans (Debian's fonts-dejavu-core, free to
embed) for any character Inter's latin subset lacks, or when npm has not put Inter there.

Only files under static/ are ever read while rendering: a document cannot make the
server fetch anything else (no network, no other files).
"""
from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from config import BASE_DIR

log = logging.getLogger(__name__)
# WeasyPrint tells every step at INFO; only its warnings belong in the server's log.
for _name in ("weasyprint", "weasyprint.progress"):
    logging.getLogger(_name).setLevel(logging.WARNING)

#: where the PDF's stylesheets and fonts are read from (relative URLs resolve here)
STATIC_DIR = BASE_DIR / "static"
#: the PDF variant WeasyPrint writes
PDF_VARIANT = "pdf/a-2b"


class PdfUnavailable(RuntimeError):
    """WeasyPrint, or the Pango library it needs, is not installed."""


def _fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnly(URLFetcher):
        """Reads files under static/ and refuses every other URL."""

        def fetch(self, url, headers=None):
            if not url.startswith("file://"):
                raise ValueError(f"refused while rendering a PDF: {url}")
            path = Path(url[len("file://"):].split("?")[0]).resolve()
            if STATIC_DIR.resolve() not in path.parents:
                raise ValueError(f"refused while rendering a PDF: {url}")
            return super().fetch(url, headers)

    return StaticOnly(allowed_protocols=("file",))


def render_pdf(html: str) -> bytes:
    """The PDF/A-2b rendering of `html` (relative URLs resolve against static/)."""
    try:
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:  # OSError: Pango missing from the system
        raise PdfUnavailable(str(exc)) from exc
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_fetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT, font_config=FontConfiguration())


def render_many(htmls: list[str]) -> list[bytes]:
    """`render_pdf` for many documents at once (the demo's past decisions), spread over the
    machine's cores in fresh worker processes. The same function renders each one."""
    workers = min(os.cpu_count() or 1, 4, len(htmls))
    if workers < 2 or len(htmls) < 6:
        return [render_pdf(html) for html in htmls]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(render_pdf, htmls, chunksize=2))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
