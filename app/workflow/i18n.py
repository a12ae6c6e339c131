"""The translation marker for the user-facing text of the workflow rules."""
from __future__ import annotations

from enum import StrEnum


def N_(text: str) -> str:
    """Mark ``text`` for translation and return it unchanged.

    The workflow package has no Flask, so it cannot call Flask-Babel. Labels, questions,
    checklist texts and refusal messages are kept as Norwegian bokmål message ids, marked
    with ``N_`` so that ``pybabel extract -k N_`` finds them, and translated where they are
    shown: ``_(stage.label)``, ``_(exc.message)``.
    """
    return text


class Labelled(StrEnum):
    """A workflow code whose members have a Norwegian name (a message id: translate it
    where it is shown), given after the class with `name_members`."""

    @property
    def label(self) -> str:
        """The Norwegian name (message id)."""
        return type(self)._names[self]


def name_members(enum: type[Labelled], names: dict) -> None:
    """Give every member of `enum` its Norwegian name; a member left without one is a
    mistake found at import, not a KeyError on some page."""
    missing = [m for m in enum if m not in names]
    if missing:
        raise ValueError(f"{enum.__name__} members without a name: {missing}")
    enum._names = names
