"""Front page and /healthz."""
from __future__ import annotations

from flask import current_app, jsonify, render_template
from flask_login import login_required
from sqlalchemy import text

from app.directory import get_directory
from app.extensions import db
from app.main import bp


@bp.route("/")
@login_required
def index():
    """Mitt: the signed-in person's own work."""
    from flask_login import current_user

    from app.main.mine import my_work

    return render_template("main/index.html", **my_work(current_user))


@bp.route("/healthz")
def healthz():
    """Is the site able to serve? Checks the database and the directory."""
    checks = {"database": _database_ok(), "directory": _directory_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "degraded"}
    body.update({name: "ok" if ok else "unavailable" for name, ok in checks.items()})
    return jsonify(body), 200 if healthy else 503


def _database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means: not usable now
        current_app.logger.exception("health check: database unavailable")
        db.session.rollback()
        return False


def _directory_ok() -> bool:
    try:
        return bool(get_directory().ping())
    except Exception:
        current_app.logger.exception("health check: directory unavailable")
        return False
