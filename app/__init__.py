"""The Faseport application factory."""
from __future__ import annotations

import logging

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app.requests import FaseportRequest
from config import BASE_DIR, DevConfig, SettingError


def create_app(config_class=DevConfig) -> Flask:
    """Build the app: config, extensions, blueprints, CLI, error pages."""
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.request_class = FaseportRequest
    app.config.from_object(config_class)
    if hasattr(config_class, "check"):
        config_class.check()
    check_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    _check_directory_settings(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if app.config["PROXY_FIX"]:
        n = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    _init_extensions(app)
    # Ids in URLs beyond what the database holds answer 404, not an overflow error.
    app.url_map.converters["int"] = BoundedInt
    _register_blueprints(app)
    _register_history_and_facts()

    from app import concurrency, errors, frontend, limits, security, transactions, templating
    transactions.init_app(app)
    concurrency.init_app(app)
    limits.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    frontend.init_app(app)
    templating.init_app(app)

    from app import cli, notifications, reminders
    cli.init_app(app)
    notifications.init_app(app)
    reminders.init_app(app)
    return app


def check_database_url(url: str) -> None:
    """Refuse a DATABASE_URL that SQLAlchemy cannot use, naming the setting."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        make_url(url).get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        shown = url.split("@")[-1] if "@" in url else url  # never print a password
        raise SettingError(
            f"DATABASE_URL cannot be used ({type(error).__name__}: {error}); expected e.g. "
            f"sqlite:///instance/faseport.db or postgresql+psycopg://user:…@host/db, "
            f"got …{shown!r}"
        ) from None


def _check_directory_settings(app: Flask) -> None:
    """LDAP_* checked before anything else starts (it raises DirectoryConfigError)."""
    from app.directory.settings import DirectorySettings

    DirectorySettings.from_config(app.config)


def _init_extensions(app: Flask) -> None:
    from app.extensions import babel, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    from app.i18n import select_locale
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Oslo")

    from app.auth import sessions
    sessions.init_app(app, login_manager)

    from app.directory import init_app as init_directory
    init_directory(app)


def _register_blueprints(app: Flask) -> None:
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.decisions import bp as decisions_bp
    from app.gates import bp as gates_bp
    from app.ideas import bp as ideas_bp
    from app.main import bp as main_bp
    from app.notifications import bp as notifications_bp, outbox_bp
    from app.people import bp as people_bp
    from app.portfolio import bp as portfolio_bp
    from app.plan import bp as plan_bp
    from app.projects import bp as projects_bp
    from app.ikt import bp as ikt_bp
    from app.privacy import bp as privacy_bp
    from app.profile import bp as profile_bp
    from app.calendar import bp as calendar_bp

    for bp in (auth_bp, main_bp, people_bp, ideas_bp, projects_bp, gates_bp, api_bp, plan_bp,
               notifications_bp, outbox_bp, profile_bp, ikt_bp, privacy_bp, portfolio_bp, calendar_bp,
               decisions_bp):
        app.register_blueprint(bp)


def _register_history_and_facts() -> None:
    """Each area's sentences for the history tab (and the plan tabs' gate facts), imported
    by name: a describer that is renamed or moved fails here, at start-up."""
    from app import plan
    from app.api.tokens import describe_token_event
    from app.audit.describe import register_describers
    from app.calendar.feeds import describe_feed_event
    from app.decisions.services import describe_frozen
    from app.notifications.preferences import describe_preferences_event
    from app.people.owners import describe_owner_event
    from app.portfolio.services import describe_portfolio_event
    from app.profile.language import describe_locale_event

    plan.register()
    register_describers(describe_owner_event, describe_token_event, describe_preferences_event,
                        describe_portfolio_event, describe_feed_event, describe_frozen, describe_locale_event)


class BoundedInt(IntegerConverter):
    """`<int:…>` limited to the database's integer range."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def is_htmx() -> bool:
    """True when htmx sent the request (it then wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"
