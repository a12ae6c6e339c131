"""The project plan and its follow-up: one tab per part, under /projects/<id>/….

Each tab lives in its own module here (roles, plan, milestones, benefits, risks,
stakeholders, status, changes, tasks, economy) and registers its views on this blueprint; its
endpoint is `plan.<tab>`, which the gate checklists link to.
"""
from importlib import import_module

from flask import Blueprint

bp = Blueprint("plan", __name__, url_prefix="/projects/<int:project_id>")

#: the tab modules, in the order of the project's tab bar
TAB_MODULES = ("roles", "plan", "milestones", "economy", "benefits", "risks", "stakeholders",
               "status", "changes", "tasks")

for _name in TAB_MODULES:
    try:
        import_module(f"app.plan.{_name}")
    except ModuleNotFoundError as exc:  # a tab not built yet is simply absent
        if exc.name != f"app.plan.{_name}":
            raise
