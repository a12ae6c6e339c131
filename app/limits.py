"""What a column can hold, read from the model's column types, so that a form and the
database never disagree and the same input behaves the same on SQLite and PostgreSQL.

* `fits(Model.attribute)` is a WTForms validator for a field that is stored in that
  column: a clear Norwegian message when the text is too long for a `String(n)`, the
  number outside an `Integer`'s range, the value not one of an `Enum`'s, and so on.
* `check_value(column, value)` says the same for one value (None when it fits).
* The net: before every flush, each new or changed value is checked against its column
  (`init_app`). A form that forgot `fits` then answers 422 with what was typed kept,
  never a database error (PostgreSQL refuses; SQLite would silently store it).
"""
from __future__ import annotations

import logging
import math
import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import event, inspect
from sqlalchemy import types as sa_types
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from wtforms.validators import ValidationError

log = logging.getLogger(__name__)

#: a whole number as typed in a text field
_DIGITS = re.compile(r"[+-]?\d+")

#: integer ranges of the column types (PostgreSQL's; SQLite holds more, we allow the same)
INT_RANGES = {
    sa_types.SmallInteger: (-(2**15), 2**15 - 1),
    sa_types.BigInteger: (-(2**63), 2**63 - 1),
    sa_types.Integer: (-(2**31), 2**31 - 1),
}


class ColumnLimitError(SQLAlchemyError):
    """A value a column cannot hold reached a flush (no form checked it first)."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = _("Noe av det du skrev passer ikke: %(m)s Ingenting er lagret; det du skrev står "
                         "under. Rett det og send på nytt.", m=message)


def _int_range(type_) -> tuple[int, int] | None:
    for cls, bounds in INT_RANGES.items():  # SmallInteger and BigInteger before Integer
        if isinstance(type_, cls):
            return bounds
    return None


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def check_value(column, value) -> str | None:
    """A Norwegian sentence saying why `value` does not fit `column`, or None if it does."""
    if value is None:
        return None
    type_ = column.type
    if isinstance(type_, sa_types.TypeDecorator):
        type_ = type_.impl if isinstance(type_.impl, sa_types.TypeEngine) else type_.impl()
    if isinstance(type_, sa_types.Enum):
        allowed = list(type_.enums)
        if value not in allowed and getattr(value, "name", None) not in allowed:
            return _("Velg en av verdiene i listen.")
        return None
    if isinstance(type_, sa_types.String) and isinstance(value, str):
        if type_.length is not None and len(value) > type_.length:
            return _("Skriv høyst %(n)s tegn (nå %(m)s).", n=_number(type_.length), m=_number(len(value)))
        return None
    if isinstance(value, bool):
        return None
    bounds = _int_range(type_)
    if bounds is not None and isinstance(value, (int, float, Decimal)):
        if not bounds[0] <= value <= bounds[1]:
            if value > bounds[1]:
                return _("Tallet er for stort: det største som kan lagres er %(n)s.", n=_number(bounds[1]))
            return _("Tallet er for lite: det minste som kan lagres er %(n)s.", n=_number(bounds[0]))
        return None
    if isinstance(type_, sa_types.Numeric) and isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            return _("Skriv et vanlig tall.")
        if isinstance(type_, sa_types.Float) or type_.precision is None:
            return None if abs(value) < 1e300 else _("Tallet er for stort.")
        try:
            whole = abs(Decimal(str(value))).adjusted() + 1
        except InvalidOperation:
            return _("Skriv et vanlig tall.")
        if whole > type_.precision - (type_.scale or 0):
            return _("Tallet er for stort: høyst %(n)s sifre før komma.", n=type_.precision - (type_.scale or 0))
        return None
    return None


def column_of(attribute):
    """The Column behind `Model.attribute` (an InstrumentedAttribute) or a Column."""
    prop = getattr(attribute, "property", None)
    if prop is not None and getattr(prop, "columns", None):
        return prop.columns[0]
    return attribute


def is_limited(column) -> bool:
    """Whether `column` refuses some values a form could send: a `String(n)`, an integer,
    a `Numeric` with a precision or an `Enum` (free text and dates take anything a form
    lets through)."""
    type_ = column.type
    if isinstance(type_, sa_types.TypeDecorator):
        type_ = type_.impl if isinstance(type_.impl, sa_types.TypeEngine) else type_.impl()
    if isinstance(type_, sa_types.Enum):
        return True
    if isinstance(type_, sa_types.String):
        return type_.length is not None
    if isinstance(type_, sa_types.Float):
        return False
    if isinstance(type_, sa_types.Numeric):
        return type_.precision is not None
    return _int_range(type_) is not None


def field_column(form_cls, name: str):
    """The column the form's field `name` is stored in, from the form's declaration
    (`fills`, `fills_columns`; see app/forms.py), or None."""
    mapped = getattr(form_cls, "fills_columns", None) or {}
    if name in mapped:
        return None if mapped[name] is None else column_of(mapped[name])
    model = getattr(form_cls, "fills", None)
    if model is None:
        return None
    prop = getattr(model, "__mapper__", None) and model.__mapper__.column_attrs.get(name)
    return prop.columns[0] if prop is not None else None


def _offered(field) -> set[str] | None:
    """The values a choice field offers (None for other fields or choices made later)."""
    if not hasattr(field, "iter_choices") or not getattr(field, "choices", None):
        return None
    return {str(choice[0]) for choice in field.iter_choices()}


class fits:  # noqa: N801 - used like the other WTForms validators (Length, Optional)
    """WTForms validator: the field's value must fit the column it is stored in.

    Forms get it from their declaration (app/forms.py); it tells the browser a text
    column's length (`maxlength`). It stays silent when an earlier check of the field
    already spoke, and for a value a choice field does not offer but the column could hold
    (the field's own check says which to choose), so a person reads one message, not two.
    `convert` turns the field's data into what is stored (e.g. a stripped string)."""

    def __init__(self, attribute, convert=None):
        self.column = column_of(attribute)
        self.convert = convert
        length = getattr(self.column.type, "length", None)
        self.field_flags = {"maxlength": length} if isinstance(self.column.type, sa_types.String) \
            and length and not isinstance(self.column.type, sa_types.Enum) else {}

    def __call__(self, form, field):
        if field.errors:
            return
        value = field.data
        offered = _offered(field)
        if offered is not None and field.raw_data and str(field.raw_data[0]) not in offered:
            # Not one of the choices: the field's own check speaks, unless the column could
            # not even hold it (a forged post; such a field may check its choices later).
            if check_value(self.column, self._typed(field.raw_data[0])) is None:
                return
            raise ValidationError(_("Velg en av verdiene i listen."))
        value = self._typed(value)
        if self.convert is not None:
            try:
                value = self.convert(value)
            except (TypeError, ValueError):
                return  # the field's own validators say what is wrong
        problem = check_value(self.column, value)
        if problem:
            raise ValidationError(problem)

    def _typed(self, value):
        """A text as it is stored: stripped, and a whole number for an integer column."""
        if not isinstance(value, str):
            return value
        value = value.strip()
        if _int_range(self.column.type) is not None and _DIGITS.fullmatch(value):
            return int(value)  # a number typed in a text field (a project number, a choice)
        return value


def problems(obj) -> list[tuple[str, str]]:
    """(Model.attribute, message) for each new or changed value of `obj` that does not
    fit its column."""
    state = inspect(obj)
    out = []
    for attr in state.mapper.column_attrs:
        if len(attr.columns) != 1 or not hasattr(attr.columns[0], "type"):
            continue
        if not state.pending and not state.attrs[attr.key].history.has_changes():
            continue
        value = state.attrs[attr.key].value if state.pending else getattr(obj, attr.key, None)
        problem = check_value(attr.columns[0], value)
        if problem:
            out.append((f"{type(obj).__name__}.{attr.key}", problem))
    return out


def _before_flush(session: Session, flush_context, instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        found = problems(obj)
        if found:
            where, message = found[0]
            log.warning("value refused before the database saw it: %s: %s", where, message)
            raise ColumnLimitError(where, message)


def init_app(app) -> None:
    """Check every flush of the app's session (Flask-SQLAlchemy's scoped session)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
