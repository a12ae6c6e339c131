"""Forms shared by every area."""
from __future__ import annotations

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """A button-only POST (delete, sign out, mark as done) still carries the CSRF token."""


__all__ = ["EmptyForm"]
