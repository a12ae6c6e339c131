"""Case-insensitive text in SQL on SQLite and PostgreSQL, Norwegian letters included.

``fold(column)`` lower-cases text in SQL (Æ, Ø and Å too) and ``text_contains`` is the
free-text "contains" of the portfolio's search box. On SQLite both need a Python function
that this module registers on every new connection when it is first imported.
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import ColumnElement, String, event
from sqlalchemy.engine import Engine

from app.extensions import db
from app.portfolio.sqlfunctions import DialectFunction


class fold(DialectFunction):
    """Lower-case text in SQL, including Æ, Ø and Å.

    PostgreSQL's lower() knows Unicode; SQLite's lower() only knows A–Z, so on SQLite this
    calls a Python function registered on every new connection (below).
    """

    type = String()
    name = "fold"
    inherit_cache = True
    default = "lower({})"
    on_sqlite = "faseport_fold({})"


def _python_fold(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _register_sqlite_fold(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("faseport_fold", 1, _python_fold, deterministic=True)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def text_contains(column, needle: str) -> ColumnElement[bool]:
    """`column` contains `needle`, ignoring case (Æ, Ø and Å too); % and _ are literal.

    PostgreSQL: ILIKE. SQLite: its own LIKE already ignores the case of A–Z, which is
    all an ASCII needle can match, and runs in C; a needle with other letters goes
    through the Python fold (slower, but only then)."""
    needle = needle.lower()
    if _dialect() == "sqlite" and not needle.isascii():
        return fold(column).contains(needle, autoescape=True)
    if _dialect() == "sqlite":
        return column.contains(needle, autoescape=True)
    return column.icontains(needle, autoescape=True)


__all__ = ["fold", "text_contains"]
