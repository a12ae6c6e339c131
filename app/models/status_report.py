"""Status reports: the prosjektleder's report to the owner per period, frozen when published."""
from __future__ import annotations

from datetime import date, datetime

import re

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, String, event, select
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship, validates

from app.extensions import db
from app.models.base import FreeText, ProjectRecord, Touched, UTCDateTime, utcnow
from app.models.user import User
from app.workflow.i18n import N_

#: traffic-light codes, best first (labels: Grønn, Gul, Rød)
RAG_CODES = ("green", "yellow", "red")

#: the five areas every report rates, as (code, Norwegian label); each has
#: `<code>_status` (one of RAG_CODES or None while a draft) and `<code>_comment`
AREAS = (("progress", N_("Fremdrift")), ("cost", N_("Økonomi")), ("quality", N_("Kvalitet")),
         ("risk", N_("Risiko")), ("benefits", N_("Gevinster")))
AREA_CODES = tuple(code for code, _label in AREAS)

#: report statuses: a draft can be edited and deleted, a published report never changes
REPORT_STATUSES = ("draft", "published")


def period_key(label: str | None) -> str:
    """The period as compared for "one report per period": case, spacing and the kind of
    dash ignored, so «Mars 2026», «mars  2026» and «MARS 2026» are the same period, as are
    «Uke 10–13» and «uke 10 - 13»."""
    text = re.sub(r"\s*[-\u2010-\u2015]\s*", "-", (label or "").casefold())
    return " ".join(text.split())[:100]


class FrozenReportError(Exception):
    """Someone tried to change a published (frozen) status report."""


class StatusReport(ProjectRecord, Touched, db.Model):
    """One period's report: five traffic lights with comments, an overall comment, and at
    publication a frozen snapshot of the top risks and the milestones."""

    __tablename__ = "status_report"
    __table_args__ = (
        Index("ix_status_report_project_created", "project_id", "created_at"),
        # One report per period and project, even when two are saved at the same moment.
        Index("uq_status_report_project_period", "project_id", "period_key", unique=True),
    )

    #: the period as people say it, e.g. "Mars 2026" or "Uke 10–13"
    period_label: Mapped[str] = mapped_column(String(100))
    #: period_key(period_label), set with the label: unique per project
    period_key: Mapped[str] = mapped_column(String(100), default="")
    #: first and last day of the period (optional, for sorting and overviews)
    period_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_end: Mapped[date | None] = mapped_column(Date, nullable=True)

    #: fremdrift (progress and scope): green / yellow / red, None while not rated
    progress_status: Mapped[str | None] = mapped_column(String(6), nullable=True)
    progress_comment: Mapped[FreeText]
    #: økonomi (cost against budget)
    cost_status: Mapped[str | None] = mapped_column(String(6), nullable=True)
    cost_comment: Mapped[FreeText]
    #: kvalitet (quality of the deliverables)
    quality_status: Mapped[str | None] = mapped_column(String(6), nullable=True)
    quality_comment: Mapped[FreeText]
    #: risiko (the risk picture)
    risk_status: Mapped[str | None] = mapped_column(String(6), nullable=True)
    risk_comment: Mapped[FreeText]
    #: gevinster (are the benefits still within reach)
    benefits_status: Mapped[str | None] = mapped_column(String(6), nullable=True)
    benefits_comment: Mapped[FreeText]
    #: "Forbrukt hittil": money spent on the project up to the end of the period, whole NOK
    spent_to_date_nok: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: the overall comment to the owner ("Samlet vurdering")
    overall_comment: Mapped[FreeText]

    #: draft or published (see REPORT_STATUSES)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    #: at publication: {"risks": [...top 5 by score], "milestones": [...], "taken_at": iso}
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)

    project = relationship("Project", backref=backref(
        "status_reports", cascade="all, delete-orphan", passive_deletes=True,
        order_by=lambda: [StatusReport.created_at.desc(), StatusReport.id.desc()]))
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @validates("period_label")
    def _keep_period_key(self, _name, value):
        self.period_key = period_key(value)
        return value

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    def area_status(self, code: str) -> str | None:
        return getattr(self, f"{code}_status")

    def area_comment(self, code: str) -> str:
        return getattr(self, f"{code}_comment") or ""

    @property
    def worst_status(self) -> str | None:
        """The reddest of the five lights (None when none is rated)."""
        rated = [s for s in (self.area_status(c) for c in AREA_CODES) if s in RAG_CODES]
        return max(rated, key=RAG_CODES.index) if rated else None

    @property
    def snapshot_risks(self) -> list[dict]:
        return list((self.snapshot or {}).get("risks") or [])

    @property
    def snapshot_milestones(self) -> list[dict]:
        return list((self.snapshot or {}).get("milestones") or [])

    def can_change(self, user) -> bool:
        """Edit, publish or delete this report: a writer, and only while it is a draft."""
        return self.project.can_write_reports(user) and not self.is_published

    def __repr__(self) -> str:
        return f"<StatusReport {self.id} {self.project_id} {self.period_label!r} {self.status}>"


@event.listens_for(StatusReport, "before_update")
def _refuse_changes_to_published(mapper, connection, target: StatusReport) -> None:
    """Defence in depth: whatever code path tries it, a published report is not updated.
    Reads the status as the database holds it (the object may be expired or changed)."""
    stored = connection.execute(
        select(StatusReport.__table__.c.status).where(StatusReport.__table__.c.id == target.id)
    ).scalar_one_or_none()
    if stored == "published":
        raise FrozenReportError(f"status report {target.id} is published and frozen")
