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
    """Is the site able to serve? Checks the database and each directory server.

    The directory counts as "ok" while at least one of the servers in LDAP_URL answers;
    `directory_servers` says which ones do, so monitoring sees a domain controller that is
    down before the last one goes.
    """
    servers = _directory_servers()
    checks = {"database": _database_ok(), "directory": any(servers.values())}
    healthy = all(checks.values())
    body: dict = {"status": "ok" if healthy else "degraded"}
    body.update({name: "ok" if ok else "unavailable" for name, ok in checks.items()})
    body["directory_servers"] = {
        label: "ok" if ok else "unavailable" for label, ok in servers.items()
    }
    return jsonify(body), 200 if healthy else 503


def _database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means: not usable now
        current_app.logger.exception("health check: database unavailable")
        db.session.rollback()
        return False


def _directory_servers() -> dict[str, bool]:
    try:
        return get_directory().server_status()
    except Exception:
        current_app.logger.exception("health check: directory unavailable")
        return {"directory": False}
