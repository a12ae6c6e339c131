"""Optimistic locking: the one check every save of an editable record goes through.

Every editable record carries an integer `version` (SQLAlchemy ``version_id_col``), and
every edit form sends back, in a hidden field `version`, the version it was loaded with.
A save is stale in two ways, and both end in the same `StaleEdit`:

* before writing: the form's version is not the stored one (someone saved meanwhile);
* while writing: the row changed between our read and our UPDATE (two saves at the same
  moment; PostgreSQL then finds no row at the old version, SQLite the same once its lock
  is free). SQLAlchemy raises StaleDataError from the flush.

Routes use `editing()` around the change, and answer a `StaleEdit` with 409, the stored
values and the typed ones kept::

    try:
        with editing(risk, form.version.data):
            apply(risk, form)
    except StaleEdit as exc:
        return refuse(409, conflict_for(exc.current))

A route that forgets to catch it still never gives a 500: the handler registered by
`init_app` answers 409 with a page that says what happened and keeps what was typed.
"""
from __future__ import annotations

from contextlib import contextmanager
from collections.abc import Iterator

from flask import Flask, abort
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db

#: the largest version a hidden field may claim (the column is a 32-bit integer)
MAX_VERSION = 2**31 - 1


class StaleEdit(Exception):
    """The record changed since the form was loaded. `current` is the record as it is now
    (None when it was deleted meanwhile)."""

    def __init__(self, current, message: str | None = None):
        super().__init__(message or "stale")
        self.current = current
        #: a route's own explanation (else the page beside the form is meant to show the values)
        self.explained = message is not None
        self.message = message or _(
            "Noen andre har endret dette mens du skrev. Se gjeldende verdier under; "
            "det du skrev står fortsatt i skjemaet. Lagre på nytt hvis du vil overskrive.")


def submitted_version(submitted: str | int | None) -> int:
    """The version a form was loaded with; 400 for anything that is not one."""
    try:
        seen = int(str(submitted).strip())
    except (TypeError, ValueError):
        abort(400)
    if not 0 <= seen <= MAX_VERSION:
        abort(400)
    return seen


def check_version(obj, submitted: str | int | None) -> None:
    """Refuse a save based on an older version of `obj` (raises StaleEdit)."""
    if obj.version != submitted_version(submitted):
        raise StaleEdit(obj)


def save(obj=None) -> None:
    """Flush now, so that a concurrent save that slipped past check_version (the row
    changed between our read and our write) becomes a StaleEdit instead of a failed
    commit. The transaction is rolled back and `obj` reloaded as it is now."""
    try:
        db.session.flush()
    except StaleDataError:
        _stale(obj)


def saved_first(obj=None) -> bool:
    """`save(obj)` for a row that must be unique (a link, a member, the first plan): False,
    with the transaction rolled back, when someone else wrote the same row a moment ago and
    the database's unique constraint refused ours."""
    try:
        save(obj)
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _stale(obj):
    db.session.rollback()
    current = None
    if obj is not None:
        try:
            db.session.refresh(obj)
            current = obj
        except Exception:  # noqa: BLE001 - deleted meanwhile: nothing left to show
            abort(404)
    raise StaleEdit(current) from None


@contextmanager
def editing(obj, submitted: str | int | None) -> Iterator:
    """Check the form's version, let the block apply the change, then write it.

    Raises StaleEdit, before or after the block, when someone else saved `obj` first
    (also when a query in the block flushed the change early). A block that returns
    early (a form with errors) writes nothing of its own.
    """
    check_version(obj, submitted)
    try:
        yield obj
        db.session.flush()
    except StaleDataError:
        _stale(obj)


def init_app(app: Flask) -> None:
    """The safety net: a StaleEdit no route caught answers 409 (a StaleDataError from a
    flush outside `save` is answered the same way in app/errors.py)."""
    from app.errors import STALE_ERROR, render_kept_form

    @app.errorhandler(StaleEdit)
    def stale_edit(exc: StaleEdit):
        db.session.rollback()
        return render_kept_form(409, exc.message if exc.explained else str(STALE_ERROR))
