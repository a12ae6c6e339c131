"""Fixtures of the decision-PDF tests (see tests/gates/flow.py for the shared ones)."""
from tests.gates.flow import as_user, count_queries  # noqa: F401 - the fixtures
