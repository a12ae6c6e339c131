"""Every form field stored in a limited column refuses what the column cannot hold, beside
the field, with the limit read from the model (app/forms.py's `fills`, app/limits.py).

How this catches a form that forgot:
* `all_forms()` finds every form class of the app by importing every module under `app/`
  and walking WTForms' subclasses, so a new form is in these tests without being listed.
* `test_no_form_field_escapes_its_column` requires of every field (but the CSRF token, the
  hidden `version` and the people picker, which is looked up, never stored as typed) that
  the form's declaration names its column (`fills`: a field named like a column of the
  model; `fills_columns`: other names) or says it is not stored (None). A new form or a
  new field that is stored but not declared is listed there, and so is a declared field in
  a limited column that has no `fits`.
* `test_each_field_refuses_one_past_its_column` then posts, for every declared field in a
  limited column, a value one past the column's limit (a text one character too long, an
  integer one above its range, a choice the list does not offer) and asserts a message
  beside that field; and the limit itself without a column message.
"""
from __future__ import annotations

import importlib
import pkgutil

import pytest
import wtforms
from sqlalchemy import types as sa_types
from werkzeug.datastructures import MultiDict

import app as app_package
from app.forms import EmptyForm
from app.limits import INT_RANGES, check_value, field_column, fits, is_limited
from app.notifications.forms import preferences_form
from app.people.fields import PersonField

#: the beginnings of the column messages (app/limits.py): none may show at the limit itself
COLUMN_MESSAGES = ("Skriv høyst", "Tallet er for", "Velg en av verdiene i listen")


def all_forms() -> list[type]:
    """Every form class defined in the app (also those made by a function, like the
    notification preferences, through that function)."""
    for info in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(info.name)
    found, todo = [], [wtforms.Form]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("app.") and "<locals>" not in cls.__qualname__:
            found.append(cls)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def make(cls, formdata=None):
    if cls.__name__ == "PreferencesForm":
        return preferences_form({}, formdata=formdata)
    return cls(formdata=formdata)


def exempt(field) -> bool:
    """Fields that are never stored as typed: the CSRF token, the version compared for
    conflicts, the people picker (a name looked up in the directory), buttons."""
    return (field.type in ("CSRFTokenField", "SubmitField") or isinstance(field, PersonField)
            or (field.type == "HiddenField" and field.short_name == "version"))


def declared(form, field) -> bool:
    return field_column(type(form), field.short_name) is not None or field.short_name in type(form).fills_columns


def limited_fields(app) -> list[tuple[type, str]]:
    with app.test_request_context():
        return [(cls, f.short_name) for cls in all_forms() for f in make(cls)
                if not exempt(f) and (c := field_column(type(make(cls)), f.short_name)) is not None
                and is_limited(c)]


def test_every_form_is_found(app):
    names = {c.__name__ for c in all_forms()}
    assert {"IdeaForm", "RiskForm", "MilestoneForm", "BudgetLineForm", "PreferencesForm", "LoginForm",
            "PriorityForm", "ItposmoForm", "StatusReportForm", "LanguageForm"} <= names
    assert len(names) > 40


def test_no_form_field_escapes_its_column(app):
    undeclared, unchecked = [], []
    with app.test_request_context():
        for cls in all_forms():
            form = make(cls)
            assert isinstance(form, EmptyForm) or not [f for f in form if not exempt(f)], \
                f"{cls.__name__} stores fields but is not an EmptyForm (app/forms.py): it cannot get its limits"
            for f in form:
                if exempt(f):
                    continue
                if not declared(form, f):
                    undeclared.append(f"{cls.__module__}.{cls.__name__}.{f.short_name}")
                    continue
                column = field_column(type(form), f.short_name)
                own = getattr(cls.fills, "__mapper__", None)
                if column is None and own is not None and f.short_name in own.column_attrs and f.type != "HiddenField" \
                        and is_limited(own.column_attrs[f.short_name].columns[0]):
                    undeclared.append(f"{cls.__name__}.{f.short_name} is said not to be stored, yet its "
                                      f"name is a limited column of {cls.fills.__name__}")
                if column is not None and is_limited(column) and not any(isinstance(v, fits) for v in f.validators):
                    unchecked.append(f"{cls.__name__}.{f.short_name} → {column}")
    assert undeclared == [], "fields whose column the form does not declare (fills / fills_columns)"
    assert unchecked == [], "fields stored in a limited column without app.limits.fits"


def _values(column, field) -> tuple[str, str]:
    """(the limit itself, one past it) as a person would type them into `field`."""
    offered = [str(c[0]) for c in field.iter_choices()] if getattr(field, "choices", None) else []
    offered = [v for v in offered if v and check_value(column, v) is None]
    type_ = column.type
    if isinstance(type_, sa_types.String):
        n = type_.length
        return (offered[0] if offered else "x" * n), "x" * (n + 1)
    for kind, (_low, high) in INT_RANGES.items():
        if isinstance(type_, kind):
            return (offered[0] if offered else str(high)), str(high + 1)
    raise AssertionError(f"no test values for {column.type!r}")


@pytest.fixture(scope="module")
def cases(app):
    return limited_fields(app)


def test_there_are_limited_fields_to_test(cases):
    names = {f"{cls.__name__}.{name}" for cls, name in cases}
    assert {"MilestoneForm.number", "BudgetLineForm.year", "BudgetLineForm.investment_nok", "IdeaForm.title",
            "ActivityForm.what", "ChangeRequestForm.cost_effect", "LinkForm.related"} <= names


def test_each_field_refuses_one_past_its_column(app, cases):
    failures = []
    with app.test_request_context():
        for cls, name in cases:
            column = field_column(cls, name)
            limit, past = _values(column, getattr(make(cls), name))
            refused = make(cls, MultiDict({name: past}))
            refused.validate()
            errors = [str(e) for e in getattr(refused, name).errors]
            message = check_value(column, past)
            field = getattr(refused, name)
            if not errors:
                failures.append(f"{cls.__name__}.{name} takes {past[:30]!r}…, which {column} cannot hold")
            elif isinstance(column.type, sa_types.String) and not getattr(field, "choices", None) \
                    and message not in errors:
                failures.append(f"{cls.__name__}.{name}: {errors} instead of «{message}»")
            accepted = make(cls, MultiDict({name: limit}))
            accepted.validate()
            said = [str(e) for e in getattr(accepted, name).errors if str(e).startswith(COLUMN_MESSAGES)]
            if said:
                failures.append(f"{cls.__name__}.{name} refuses its limit {limit[:30]!r}: {said}")
    assert failures == []


def test_text_fields_tell_the_browser_their_column_length(app, cases):
    with app.test_request_context():
        for cls, name in cases:
            column = field_column(cls, name)
            field = getattr(make(cls), name)
            if isinstance(column.type, sa_types.String) and field.type in ("StringField", "TextAreaField"):
                assert f'maxlength="{column.type.length}"' in field(), f"{cls.__name__}.{name}"
