"""Fill the bokmål catalogue: every message id is bokmål already, so its text is itself.

`make messages` runs this after `pybabel update`, so translations/nb/…/messages.po stays
complete (nothing empty, nothing fuzzy) whatever was added to the extraction.

    python scripts/bokmal_catalogue.py translations/nb/LC_MESSAGES/messages.po
"""
from __future__ import annotations

import sys

from babel.messages.pofile import read_po, write_po


def fill(path: str) -> int:
    """Set each entry's text to its id (both plural forms for a plural); return how many changed."""
    with open(path, "rb") as f:
        catalogue = read_po(f, locale="nb")
    changed = 0
    for message in catalogue:
        if not message.id:
            continue  # the header
        wanted = message.id if isinstance(message.id, str) else tuple(message.id)
        if message.string != wanted or message.fuzzy:
            message.string = wanted
            message.flags.discard("fuzzy")
            changed += 1
    with open(path, "wb") as f:
        write_po(f, catalogue, width=100, ignore_obsolete=True)
    return changed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {fill(name)} entries filled with their bokmål id")
