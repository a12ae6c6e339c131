"""Bad input on a gate form, shown beside the field it concerns."""
from __future__ import annotations


class GateInputError(Exception):
    """Bad input on a gate form: shown beside `field` with status 422. `errors` holds
    further messages by field (the owner's answers to several BP1 questions)."""

    #: the HTTP status of the re-rendered form
    status = 422

    def __init__(self, message: str, field: str | None = None,
                 errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = dict(errors or {})
