"""The privacy queue (/personvern): the personvernombud's list of projects that process,
or may process, personal data, with their DPIA status; the ones nearing BP3 without a
settled DPIA first. The officer records the assessment in place, through the tasks tab's
service (`app.plan.tasks.operations.assess_privacy`), so the gate fact `dpia_status`, the
audit trail and the project's history are the same wherever it is recorded.
"""
from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/personvern")

from app.privacy import routes  # noqa: E402,F401
