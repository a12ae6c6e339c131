"""Demo content for the plan tabs (roles, plan, milestones, benefits, risks, status …)."""
from __future__ import annotations


def fill_plans(users: dict) -> None:
    """Fill the demo projects' tabs so every stage looks real."""
    from app.demo.plan_core import fill_roles_plan_milestones

    fill_roles_plan_milestones(users)
    from app.demo.economy import fill_economy_and_roles

    fill_economy_and_roles(users)  # after the plans: splits their budgets into years
    from app.demo.plan_b import fill_benefits_risks_stakeholders

    fill_benefits_risks_stakeholders(users)  # after the roles: it reads the gevinstansvarlige
    from app.demo.changes import fill as fill_changes
    from app.demo.status_reports import fill as fill_status
    from app.demo.tasks import fill as fill_tasks

    fill_tasks(users)
    fill_changes(users)
    fill_status(users)  # after risks and milestones: published reports freeze them
    from app.demo.portfolio import fill as fill_portfolio

    fill_portfolio(users)
