"""Template helpers: dates in Oslo time, the navigation, and the htmx flag."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request
from flask_babel import format_date, format_datetime


def oslo_datetime(value: datetime | None, fmt: str = "d. MMM yyyy 'kl.' HH:mm") -> str:
    """A UTC time shown in Norwegian local time (flask-babel's timezone is Europe/Oslo)."""
    return format_datetime(value, fmt) if value else ""


def oslo_date(value: date | datetime | None, fmt: str = "d. MMM yyyy") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, fmt)
    return format_date(value, fmt)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = oslo_datetime
    app.jinja_env.filters["date"] = oslo_date
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def _globals():
        return {"is_htmx": request.headers.get("HX-Request") == "true"}
