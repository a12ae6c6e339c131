"""SQL functions that SQLite and PostgreSQL spell differently (the portfolio's text fold
and 0–1 clamp): a subclass names its SQL for each, one pair of compilers serves all."""
from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class DialectFunction(FunctionElement):
    """A function written `default` on PostgreSQL (and any other database) and
    `on_sqlite` on SQLite: each a template whose ``{}`` is the compiled arguments."""

    inherit_cache = True
    default: str = ""
    on_sqlite: str = ""


@compiles(DialectFunction)
def _compile_default(element, compiler, **kw):
    return element.default.format(compiler.process(element.clauses, **kw))


@compiles(DialectFunction, "sqlite")
def _compile_sqlite(element, compiler, **kw):
    return element.on_sqlite.format(compiler.process(element.clauses, **kw))
