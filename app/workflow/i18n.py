"""The translation marker for the user-facing text of the workflow rules."""
from __future__ import annotations


def N_(text: str) -> str:
    """Mark ``text`` for translation and return it unchanged.

    The workflow package has no Flask, so it cannot call Flask-Babel. Labels, questions,
    checklist texts and refusal messages are kept as Norwegian bokmål message ids, marked
    with ``N_`` so that ``pybabel extract -k N_`` finds them, and translated where they are
    shown: ``_(stage.label)``, ``_(exc.message)``.
    """
    return text
