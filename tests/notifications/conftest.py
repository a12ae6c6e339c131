"""Fixtures for the notification tests: the app's mail settings pointed at the real
SMTP server (`smtp_server`, from the tests.support.smtp plugin), and the notifications
package registered on the shared app until create_app does it itself."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def app(app):
    """The shared app, with the notifications blueprints and init_app applied if
    create_app does not (yet) do it."""
    if "notifications" not in app.blueprints:
        from app.notifications import bp, init_app, outbox_bp

        app.register_blueprint(bp)
        app.register_blueprint(outbox_bp)
        init_app(app)
    return app


@pytest.fixture()
def mail_server(app, smtp_server, monkeypatch):
    """The app delivers to a real SMTP server on loopback for this test."""
    for key, value in smtp_server.app_config().items():
        monkeypatch.setitem(app.config, key, value)
    return smtp_server


@pytest.fixture(autouse=True)
def _mail_log_enabled(monkeypatch):
    """Alembic's logging.config.fileConfig (migrations/env.py, run by the `app` fixture)
    disables every logger that existed before it, ours included; switch ours back on so
    tests can see what the outbox logs."""
    import logging

    monkeypatch.setattr(logging.getLogger("app.notifications.mail"), "disabled", False)
