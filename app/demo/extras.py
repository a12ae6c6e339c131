"""Demo content for the plan tabs (roles, plan, milestones, benefits, risks, status …)."""
from __future__ import annotations


def fill_plans(users: dict) -> None:
    """Fill the demo projects' tabs so every stage looks real."""
    return None
