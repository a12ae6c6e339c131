"""The IKT work queue (/ikt): every technical task across the projects, for the IKT role.

People in IKT (and administrators) filter and sort the tasks, take one ("Ta oppgaven")
and change its status in place; a second list shows the projects that asked for IKT help
and still have no teknisk ansvarlig. State changes go through the tasks tab's services
(`app.plan.tasks.operations.work_task`), so the audit trail, notifications and history
sentences are the same wherever the change is made.
"""
from flask import Blueprint

bp = Blueprint("ikt", __name__, url_prefix="/ikt")

from app.ikt import routes  # noqa: E402,F401
