"""The project's reporting interval (how often the prosjektleder reports status), set on
the status tab and read by the status report reminders (app.reminders.rules.status)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.audit import record
from app.audit.describe import DESCRIBERS
from app.plan.editing import EmptyForm
from app.plan.plan.services import get_or_add_plan, get_plan
from app.reminders.periods import REPORT_INTERVALS

#: the interval of a project whose plan does not say (the municipal template's monthly report)
DEFAULT_INTERVAL = "month"


class IntervalForm(EmptyForm):
    interval = SelectField(_l("Statusrapport leveres"), choices=list(REPORT_INTERVALS.items()),
                           description=_l("Faseport minner prosjektleder på rapporten mot slutten av "
                                          "hver periode mens prosjektet gjennomføres."))


def interval_of(project) -> str:
    plan = get_plan(project)
    return DEFAULT_INTERVAL if plan is None else plan.report_interval


def interval_form(project, formdata=None) -> IntervalForm:
    if formdata is not None:
        return IntervalForm(formdata=formdata)
    form = IntervalForm(formdata=None)
    form.interval.data = interval_of(project)
    return form


def set_report_interval(project, interval: str) -> bool:
    """Store the interval; False when it was already that. Audited on the project."""
    old = interval_of(project)
    if interval == old:
        return False
    plan = get_or_add_plan(project)
    plan.report_interval = interval
    record("status.interval_set", obj=project, project_id=project.id, interval=interval, interval_from=old)
    return True


def describe_interval_event(event) -> str | None:
    if event.action != "status.interval_set":
        return None
    label = REPORT_INTERVALS.get((event.data or {}).get("interval", ""), "")
    return _("%(who)s satte rapporteringsintervallet til «%(i)s».", who=event.actor_name or _("Systemet"),
             i=str(label))


if describe_interval_event not in DESCRIBERS:
    DESCRIBERS.append(describe_interval_event)
