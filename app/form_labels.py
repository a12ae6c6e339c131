"""The labels a person saw beside the fields of a form, found from the posted names alone.

When a save is refused by something no form answered itself (the database away, a
conflict no tab caught), the refusal page shows what was typed so that nothing is lost.
It knows only the posted names (`title`, `r12_description`, `csrf_token`, …), so it looks
for the form class of the app that holds most of those names and takes its labels and
choice texts. Fields that form does not label (hidden version fields, buttons, the people
picker's search box) are carried along unseen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import wtforms
from flask_babel import lazy_gettext as _l
from wtforms.fields.core import UnboundField

#: "r12_description" → "description": the prefix only tells rows apart on one page
_ROW_PREFIX = re.compile(r"^[a-z]+\d+[_-]")


@dataclass(frozen=True)
class FieldLabel:
    #: the label text as the form shows it (a lazy string, translated when shown)
    label: object
    #: value → the text of that choice, for select and radio fields
    choices: tuple = ()


def field_name(posted: str) -> str:
    """The form's own name of a posted field, without a row prefix."""
    return _ROW_PREFIX.sub("", posted, count=1)


def _subclasses(cls) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


@lru_cache(maxsize=1)
def _forms() -> tuple[dict[str, FieldLabel], ...]:
    """Every form class of the app as {field name: FieldLabel} (labelled fields only)."""
    forms = []
    for cls in set(_subclasses(wtforms.Form)):
        if not cls.__module__.startswith("app."):
            continue
        fields = {}
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if not isinstance(unbound, UnboundField):
                continue
            label = unbound.args[0] if unbound.args else unbound.kwargs.get("label")
            if label is None or "Hidden" in unbound.field_class.__name__:
                continue
            choices = unbound.kwargs.get("choices") or (unbound.args[2] if len(unbound.args) > 2 else ())
            if unbound.field_class.__name__ == "BooleanField":  # a ticked box sends "y"
                choices = [(value, _l("Ja")) for value in ("y", "on", "true", "1")]
            fields[name] = FieldLabel(label, _pairs(choices))
        if fields:
            forms.append(fields)
    return tuple(forms)


def _pairs(choices) -> tuple:
    """A field's choices as (value, text) pairs: tuples or WTForms' SelectChoice; choices
    computed when the form is made (a callable) are not known here."""
    if not isinstance(choices, (list, tuple)):
        return ()
    pairs = []
    for choice in choices:
        if isinstance(choice, tuple) and len(choice) >= 2:
            pairs.append((str(choice[0]), choice[1]))
        elif hasattr(choice, "value") and hasattr(choice, "label"):
            pairs.append((str(choice.value), choice.label))
    return tuple(pairs)


def labels_for(posted_names: list[str]) -> dict[str, FieldLabel]:
    """{posted name: FieldLabel} for the names the best-matching form labels."""
    names = {field_name(n) for n in posted_names}
    best = max(_forms(), key=lambda form: len(names & form.keys()), default={})
    return {posted: best[field_name(posted)] for posted in posted_names if field_name(posted) in best}
