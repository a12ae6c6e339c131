"""The reminder tests deliver to the real SMTP server on loopback (aiosmtpd)."""
from __future__ import annotations

import pytest


@pytest.fixture()
def mail_server(app, smtp_server, monkeypatch):
    for key, value in smtp_server.app_config().items():
        monkeypatch.setitem(app.config, key, value)
    return smtp_server
