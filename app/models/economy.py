"""The project's economy (økonomi): the budget per year, split into investment and running
costs, and where the money comes from (financing, grants included)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.extensions import db
from app.models.base import CodeLabel, ProjectRecord, Touched, UTCDateTime, utcnow
from app.models.project import Project
from app.workflow.i18n import N_

#: kinds of financing: code → Norwegian label
FUNDING_KINDS = {
    "own": N_("Egen budsjettramme"),
    "grant": N_("Tilskudd"),
    "fund": N_("Fond"),
    "other": N_("Annet"),
}
#: where a source of money stands: code → Norwegian label
FUNDING_STATUSES = {
    "planned": N_("Planlagt"),
    "applied": N_("Søkt"),
    "granted": N_("Innvilget"),
    "refused": N_("Avslått"),
}


class BudgetLine(ProjectRecord, Touched, db.Model):
    """One year of the project's budget: investment (one-off) and running costs, in NOK."""

    __tablename__ = "budget_line"
    __table_args__ = (UniqueConstraint("project_id", "year", name="uq_budget_line_project_year"),)

    #: the budget year, e.g. 2026
    year: Mapped[int] = mapped_column(Integer)
    #: investering: one-off costs (purchase, implementation, project staff) in whole NOK
    investment_nok: Mapped[int] = mapped_column(BigInteger, default=0)
    #: drift: running costs (licences, support, operation) in whole NOK
    operating_nok: Mapped[int] = mapped_column(BigInteger, default=0)
    #: a short note, e.g. "Lisenser fra 2027"
    note: Mapped[str] = mapped_column(String(300), default="")

    project: Mapped[Project] = relationship(backref=backref(
        "budget_lines", order_by="BudgetLine.year", cascade="all, delete-orphan", passive_deletes=True))

    @property
    def total(self) -> int:
        return (self.investment_nok or 0) + (self.operating_nok or 0)


class FundingSource(ProjectRecord, Touched, db.Model):
    """Where (part of) the money comes from: the unit's own budget, a grant, a fund."""

    __tablename__ = "funding_source"

    #: who pays, e.g. "Statsforvalterens skjønnsmidler"
    source: Mapped[str] = mapped_column(String(200))
    #: one of FUNDING_KINDS
    kind: Mapped[str] = mapped_column(String(8), default="own")
    #: the amount in whole NOK (None: not known yet)
    amount_nok: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: one of FUNDING_STATUSES
    status: Mapped[str] = mapped_column(String(8), default="planned")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(backref=backref(
        "funding_sources", order_by="FundingSource.id", cascade="all, delete-orphan", passive_deletes=True))

    kind_label = CodeLabel("kind", FUNDING_KINDS)
    status_label = CodeLabel("status", FUNDING_STATUSES)
