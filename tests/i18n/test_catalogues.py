"""Issue 15: the nb, nn and en catalogues are complete for a fresh extraction — no
message id missing, nothing empty or fuzzy in nn and en, every placeholder kept — and
bokmål's catalogue says each id as itself.

A failure here lists what to do: `make messages` brings the catalogues up to date with
the code, then the new or empty entries are translated in translations/{nn,en}."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from tests.i18n.conftest import REPO, TRANSLATIONS

#: %(name)s, %(n)d, %s, %%, {name} — what must survive a translation unchanged
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdfr]|%[sdfr%]|\{[A-Za-z_][A-Za-z0-9_]*\}")
TRANSLATED = ("nn", "en")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A fresh extraction of every marked string, exactly as `make messages` makes it."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-o", str(pot), "--no-location", "."], cwd=REPO, check=True, capture_output=True)
    with pot.open("rb") as f:
        return read_po(f)


def load(locale: str):
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    assert path.is_file(), f"{path.relative_to(REPO)} is missing"
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def forms(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_the_extraction_finds_the_marked_labels_mails_and_documents(extracted):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted if m.id}
    assert len(ids) > 1900
    for msgid in ("Ikke besvart", "Målet er nådd", "Ikke målt ennå", "Påkrevd", "Alle prosjekter",
                  "Strategisk verdi", "Planlegge", "sendte tilbake", "Hei %(name)s,", "Beslutningsprotokoll",
                  "Vi har hentet fram teksten du skrev sist, som ikke var lagret ennå."):
        assert msgid in ids, f"{msgid!r} is not extracted"


@pytest.mark.parametrize("locale", ["nb", *TRANSLATED])
def test_no_message_id_is_missing_from_the_catalogue(extracted, locale):
    catalogue = load(locale)
    missing = [m.id for m in extracted if m.id and catalogue.get(m.id, m.context) is None]
    assert not missing, (f"{len(missing)} message ids are not in translations/{locale} (run make messages "
                         f"and translate them):\n" + "\n".join(repr(i) for i in missing[:60]))


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(extracted, locale):
    catalogue = load(locale)
    wanted = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in extracted if m.id}
    empty, fuzzy = [], []
    for message in catalogue:
        key = (message.id if isinstance(message.id, str) else message.id[0], message.context) if message.id else None
        if key not in wanted:
            continue  # obsolete or the header
        if not all(text.strip() for text in forms(message)):
            empty.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not empty, f"{len(empty)} empty msgstr in {locale}:\n" + "\n".join(repr(i) for i in empty[:60])
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries in {locale}:\n" + "\n".join(repr(i) for i in fuzzy[:60])


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_placeholder_is_kept(locale):
    wrong = []
    for message in load(locale):
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        for index, text in enumerate(forms(message)):
            if not text:
                continue
            source = ids[min(index, len(ids) - 1)]
            if placeholders(text) != placeholders(source) and placeholders(text) != placeholders(ids[0]):
                wrong.append(f"{source!r} → {text!r}")
    assert not wrong, f"placeholders changed in {locale}:\n" + "\n".join(wrong[:60])


def test_the_bokmal_catalogue_says_each_id_as_itself():
    differs = [m.id for m in load("nb") if m.id and forms(m) != ([m.id] if isinstance(m.id, str) else list(m.id))]
    assert not differs, "bokmål entries that are not their own id (make messages fills them):\n" + \
        "\n".join(repr(i) for i in differs[:60])


def test_the_placeholder_check_sees_a_lost_or_renamed_placeholder():
    assert placeholders("%(who)s ba deg godkjenne %(gate)s {name} %%") == \
        placeholders("{name} %% %(gate)s: %(who)s asked you")
    assert placeholders("%(who)s godkjente") != placeholders("%(hvem)s approved")
    assert placeholders("%(n)d saker") != placeholders("cases")
