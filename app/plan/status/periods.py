"""One status report per period and project: the check before saving, and the unique
index's answer when two are saved at the same moment."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.status_report import StatusReport, period_key
from app.templating import oslo_datetime


class PeriodTaken(Exception):
    """The project has a report for this period already. `message` is Norwegian, for the
    period field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_period_free(project_id: int, label: str, report_id: int | None = None) -> None:
    """Raise PeriodTaken when another of the project's reports covers the same period."""
    other = db.session.execute(
        select(StatusReport).where(StatusReport.project_id == project_id,
                                   StatusReport.period_key == period_key(label),
                                   StatusReport.id != (report_id or 0))
        .options(joinedload(StatusReport.author))
    ).scalars().first()
    if other is not None:
        raise PeriodTaken(_period_taken(other))


def _period_taken(other: StatusReport) -> str:
    if other.is_published:
        return _("Det finnes allerede en publisert statusrapport for %(p)s (%(when)s). Velg en "
                 "annen periode; en publisert rapport kan ikke endres.",
                 p=other.period_label, when=oslo_datetime(other.published_at))
    return _("Det finnes allerede et utkast for %(p)s, skrevet av %(who)s. Fortsett på det "
             "utkastet, eller velg en annen periode.", p=other.period_label,
             who=other.author.display_name if other.author else "–")


def flush_period(project_id: int, label: str, report_id: int | None = None) -> None:
    """Flush; the unique index refuses a second report for the period saved at the same
    moment by someone else (PeriodTaken, with what is there now)."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        check_period_free(project_id, label, report_id)
        raise PeriodTaken(_("Noen andre lagret en statusrapport for %(p)s i samme øyeblikk. "
                            "Velg en annen periode.", p=label)) from None
