"""The language tests read the real catalogues in translations/.

`make test` compiles them first (`make translations`); a plain `pytest` run compiles any
catalogue whose .mo is missing or older than its .po here, at collection, before any
test (in any folder) has made Flask-Babel load a catalogue.
"""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
TRANSLATIONS = REPO / "translations"


def compile_catalogues() -> None:
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalogue = read_po(f, locale=po.parts[-3])
        with mo.open("wb") as f:
            write_mo(f, catalogue)


compile_catalogues()
