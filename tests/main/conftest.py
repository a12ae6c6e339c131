"""Fixtures for the front page, health check and people picker tests."""
from tests.auth.helpers import app_logs, fresh_request_globals  # noqa: F401 - fixtures
