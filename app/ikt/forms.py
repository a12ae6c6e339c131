"""The IKT queue's button forms: taking a task and changing its status."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField
from wtforms.validators import ValidationError

from app.forms import EmptyForm
from app.models.task import TASK_STATUS_CODES, TASK_STATUSES, TechnicalTask


class TakeTaskForm(EmptyForm):
    """"Ta oppgaven": the version the row was shown with, and where to go back to."""

    #: only followed when it is the queue's own path (the route checks it)
    fills_columns = {"back": None}

    version = HiddenField()
    #: the queue URL with its filters, for the redirect when JavaScript is off
    back = HiddenField()


class TaskStatusForm(EmptyForm):
    """A task's new status, in place in the queue."""

    fills = TechnicalTask
    fills_columns = {"back": None}

    status = SelectField(_l("Status"), choices=[(c, _l(label)) for c, label in TASK_STATUSES],
                         validate_choice=False)
    version = HiddenField()
    back = HiddenField()

    def validate_status(self, field) -> None:
        if field.data not in TASK_STATUS_CODES:
            raise ValidationError(_("Velg åpen, pågår eller ferdig."))
