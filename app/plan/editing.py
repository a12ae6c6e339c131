"""Editing helpers every plan tab shares: form fields for Norwegian input, the people
picker's server side, saving with optimistic locking, and the answer after a plain POST."""
from __future__ import annotations

import re
from datetime import date

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from wtforms import DateField, StringField

from app import is_htmx
from app.extensions import db
from app.concurrency import StaleEdit, save  # noqa: F401 - the tabs import save here
from app.forms import EmptyForm
from app.models import AuditEvent
from app.money import format_nok  # noqa: F401 - NokField shows amounts; the tabs import it here
from app.people.fields import PersonField, resolve_field

#: longest free text in a plan field
MAX_TEXT = 10_000
#: largest budget accepted (NOK): far above any municipal project, below BigInteger
MAX_NOK = 10**12


def strip_nul(value):
    """Drop NUL characters from text: PostgreSQL refuses them in text columns (a 500)."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class CleanForm(EmptyForm):
    """A form whose text fields never carry NUL characters into the database (the
    benefits, risks and stakeholders tabs)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), strip_nul]
            return super().bind_field(form, unbound_field, {**options, "filters": filters})


class NorwegianDateField(DateField):
    """A date typed as 2025-03-01 (the browser's date picker) or 01.03.2025 (by hand)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_("Skriv datoen som dd.mm.åååå, for eksempel 01.03.2025.")) from None

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.isoformat() if self.data else ""


class NokField(StringField):
    """A whole number of kroner, as people write it: "1 200 000", "1.200.000", "kr 450 000,-",
    "1,8 mill"."""

    _NOISE = re.compile(r"^(kr\.?|nok)\s*|\s*(,-|kr\.?|nok)$", re.IGNORECASE)
    _MILLIONS = re.compile(r"^(\d+(?:[.,]\d{1,6})?)\s*(mill\.?|millioner|million|mnok)$", re.IGNORECASE)

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not (valuelist[0] or "").strip():
            return
        raw = self._NOISE.sub("", valuelist[0].strip())
        millions = self._MILLIONS.match(raw)
        if millions:
            raw = str(round(float(millions.group(1).replace(",", ".")) * 1_000_000))
        digits = re.sub(r"[\s\u00a0\u202f.]", "", raw)
        if digits.startswith("-") and digits[1:].isdigit():
            raise ValueError(_("Beløpet kan ikke være negativt."))
        if not digits.isdigit():
            raise ValueError(_("Skriv et helt beløp i kroner, for eksempel 1 200 000."))
        value = int(digits)
        if value > MAX_NOK:
            raise ValueError(_("Beløpet er for stort. Skriv beløpet i hele kroner."))
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_nok(self.data, with_unit=False) if self.data is not None else ""


def person_field(label, **kwargs) -> PersonField:
    """The field behind a people picker (a name typed or chosen; see app/people/)."""
    return PersonField(label, **kwargs)


def resolve_person(field, *, required_message: str | None = None):
    """The User chosen in a people picker, or None with a Norwegian error on the field."""
    return resolve_field(field, required_message=required_message)


def last_change(obj) -> AuditEvent | None:
    """The latest audit event about `obj`: who changed it last, and when."""
    if obj is None or getattr(obj, "id", None) is None:
        return None
    return db.session.execute(
        db.select(AuditEvent).where(AuditEvent.object_type == type(obj).__name__.lower(),
                                    AuditEvent.object_id == obj.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()


def done(message: str, endpoint: str, anchor: str = "", **values):
    """After a plain (non-htmx) POST: flash the news and go back to the tab (303)."""
    flash(message, "success")
    return redirect(url_for(endpoint, **values) + (f"#{anchor}" if anchor else ""), code=303)


def answer(tab: str, project, message: str, anchor: str, component):
    """After a successful POST: htmx gets `component()`; a plain request the message and
    the tab (endpoint `tab`) at `anchor`."""
    if is_htmx():
        return component()
    return done(message, tab, anchor=anchor, project_id=project.id)


def shorten(text: str, limit: int = 120) -> str:
    """`text` on one line (runs of white space made one space), cut to `limit` characters
    with an ellipsis: how an audit event quotes a long free text."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changed_fields(form, obj, names) -> dict[str, str]:
    """For a refused (stale) save: field name → the current stored value, for each field
    where what is stored now differs from what the person typed."""
    out = {}
    for name in names:
        typed = getattr(form, name).data
        current = getattr(obj, name)
        if isinstance(typed, str):
            typed = typed.strip()
        if (typed or None) != (current or None):
            out[name] = current
    return out


def today() -> date:
    """Today in Oslo (dates in the plan are local calendar dates)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Oslo")).date()

