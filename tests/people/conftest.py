"""Fixtures shared with the other area tests (see tests/gates/flow.py)."""
from tests.gates.flow import as_user, count_queries  # noqa: F401 - the fixtures
