"""Fixtures for the sign-in and session tests."""
from tests.auth.helpers import app_logs, fresh_request_globals  # noqa: F401 - fixtures
