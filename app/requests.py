"""The request class: form and query values never carry NUL characters, and no files.

PostgreSQL refuses NUL in text, so a pasted control character would otherwise end as a
server error in whichever form it reached. Removing it here covers every form at once.
"""
from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict


def _clean(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class CleanMultiDict(ImmutableMultiDict):
    """An ImmutableMultiDict whose string keys and values have NUL removed."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        if isinstance(mapping, dict) and not hasattr(mapping, "getlist"):
            pairs = [(k, v) for k, vs in mapping.items() for v in (vs if isinstance(vs, (list, tuple)) else [vs])]
        elif hasattr(mapping, "items") and hasattr(mapping, "getlist"):
            pairs = list(mapping.items(multi=True))
        else:
            pairs = list(mapping)
        super().__init__([(_clean(k), _clean(v)) for k, v in pairs])


class FaseportRequest(Request):
    parameter_storage_class = CleanMultiDict

    @property
    def files(self) -> ImmutableMultiDict:
        """Faseport takes no uploads: a file sent in a form field counts as nothing, so
        that no form ever meets a file where it expects text."""
        return ImmutableMultiDict()
