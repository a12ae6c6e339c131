"""The economy: budget per year and financing, the totals every document shows, and the
operations that change them (each writes its audit event)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.audit import record
from app.audit.describe import DESCRIBERS
from app.extensions import db
from app.models import Project
from app.models.economy import FUNDING_KINDS, FUNDING_STATUSES, BudgetLine, FundingSource
from app.models.status_report import StatusReport
from app.plan.editing import format_nok, save
from app.plan.plan.services import get_or_add_plan, get_plan

#: budget years accepted
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass
class EconomySummary:
    """The project's money at a glance: what is planned, where it comes from, what is spent."""

    lines: list[BudgetLine] = field(default_factory=list)
    sources: list[FundingSource] = field(default_factory=list)
    #: a total given before the budget was split into years (no lines yet)
    legacy_total: int | None = None
    #: the latest published status report that says how much is spent
    spent_report: StatusReport | None = None

    @property
    def investment(self) -> int:
        return sum(line.investment_nok or 0 for line in self.lines)

    @property
    def operating(self) -> int:
        return sum(line.operating_nok or 0 for line in self.lines)

    @property
    def planned(self) -> int | None:
        """The planned total: the sum of the years, else the earlier single total."""
        return self.investment + self.operating if self.lines else self.legacy_total

    @property
    def funded(self) -> int:
        """Financing not refused (planned, applied for or granted)."""
        return sum(s.amount_nok or 0 for s in self.sources if s.status != "refused")

    @property
    def grants(self) -> int:
        return sum(s.amount_nok or 0 for s in self.sources if s.kind == "grant" and s.status != "refused")

    @property
    def spent(self) -> int | None:
        return self.spent_report.spent_to_date_nok if self.spent_report else None

    @property
    def remaining(self) -> int | None:
        return None if self.planned is None or self.spent is None else self.planned - self.spent

    @property
    def spent_percent(self) -> int | None:
        if not self.planned or self.spent is None:
            return None
        return round(self.spent * 100 / self.planned)

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.sources and self.legacy_total is None


def latest_spent_report(project: Project) -> StatusReport | None:
    """The latest published status report that records money spent."""
    return db.session.execute(
        db.select(StatusReport).where(StatusReport.project_id == project.id,
                                      StatusReport.status == "published",
                                      StatusReport.spent_to_date_nok.is_not(None))
        .order_by(StatusReport.published_at.desc(), StatusReport.id.desc()).limit(1)
    ).scalar_one_or_none()


def summary(project: Project) -> EconomySummary:
    lines = db.session.execute(db.select(BudgetLine).where(BudgetLine.project_id == project.id)
                               .order_by(BudgetLine.year)).scalars().all()
    sources = db.session.execute(db.select(FundingSource).where(FundingSource.project_id == project.id)
                                 .order_by(FundingSource.id)).scalars().all()
    plan = get_plan(project)
    return EconomySummary(lines=list(lines), sources=list(sources),
                          legacy_total=None if lines or plan is None else plan.budget_nok,
                          spent_report=latest_spent_report(project))


def _sync_total(project: Project) -> None:
    """Keep the plan's total budget (what the portfolio lists) equal to the sum of the years."""
    db.session.flush()
    lines = db.session.execute(db.select(BudgetLine).where(BudgetLine.project_id == project.id)).scalars().all()
    plan = get_or_add_plan(project)
    total = sum(line.total for line in lines) if lines else None
    if plan.budget_nok != total:
        plan.budget_nok = total
        db.session.flush()


def year_taken(project: Project, year: int, exclude_id: int | None = None) -> bool:
    return db.session.execute(db.select(BudgetLine.id).where(
        BudgetLine.project_id == project.id, BudgetLine.year == year,
        BudgetLine.id != (exclude_id or 0))).first() is not None


def add_line(project: Project, year: int, investment: int, operating: int, note: str) -> BudgetLine:
    line = BudgetLine(project_id=project.id, year=year, investment_nok=investment or 0,
                      operating_nok=operating or 0, note=note or "")
    db.session.add(line)
    db.session.flush()
    _sync_total(project)
    record("economy.line_added", obj=line, project_id=project.id, year=year,
           investment=line.investment_nok, operating=line.operating_nok)
    return line


def update_line(project: Project, line: BudgetLine, year: int, investment: int, operating: int,
                note: str) -> bool:
    """Save the changes (False: nothing changed). A stale save raises StaleEdit (409)."""
    old = (line.year, line.investment_nok, line.operating_nok, line.note)
    new = (year, investment or 0, operating or 0, note or "")
    if old == new:
        return False
    line.year, line.investment_nok, line.operating_nok, line.note = new
    save(line)
    _sync_total(project)
    record("economy.line_updated", obj=line, project_id=project.id, year=year,
           investment=line.investment_nok, operating=line.operating_nok, old_year=old[0],
           old_investment=old[1], old_operating=old[2])
    return True


def delete_line(project: Project, line: BudgetLine) -> None:
    record("economy.line_deleted", obj=line, project_id=project.id, year=line.year,
           investment=line.investment_nok, operating=line.operating_nok)
    db.session.delete(line)
    _sync_total(project)


def add_source(project: Project, source: str, kind: str, amount: int | None, status: str) -> FundingSource:
    row = FundingSource(project_id=project.id, source=source, kind=kind, amount_nok=amount, status=status)
    db.session.add(row)
    db.session.flush()
    record("economy.source_added", obj=row, project_id=project.id, source=source, kind=kind,
           amount=amount, status=status)
    return row


def update_source(project: Project, row: FundingSource, source: str, kind: str, amount: int | None,
                  status: str) -> bool:
    old = (row.source, row.kind, row.amount_nok, row.status)
    new = (source, kind, amount, status)
    if old == new:
        return False
    row.source, row.kind, row.amount_nok, row.status = new
    save(row)
    record("economy.source_updated", obj=row, project_id=project.id, source=source, kind=kind,
           amount=amount, status=status, old_amount=old[2], old_status=old[3])
    return True


def delete_source(project: Project, row: FundingSource) -> None:
    record("economy.source_deleted", obj=row, project_id=project.id, source=row.source, kind=row.kind,
           amount=row.amount_nok)
    db.session.delete(row)
    db.session.flush()


# --- the history tab ----------------------------------------------------------------------
def _nok(value) -> str:
    return format_nok(value) if value is not None else _("ukjent beløp")


def describe_economy_event(event) -> str | None:
    """Norwegian sentences for the economy tab's audit events."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    a = event.action
    if a in ("economy.line_added", "economy.line_updated"):
        verb = _("la inn") if a == "economy.line_added" else _("endret")
        return _("%(who)s %(v)s budsjettet for %(y)s: investering %(i)s, drift %(o)s.", who=who, v=verb,
                 y=d.get("year", ""), i=_nok(d.get("investment")), o=_nok(d.get("operating")))
    if a == "economy.line_deleted":
        return _("%(who)s slettet budsjettet for %(y)s.", who=who, y=d.get("year", ""))
    if a in ("economy.source_added", "economy.source_updated"):
        verb = _("la til") if a == "economy.source_added" else _("endret")
        return _("%(who)s %(v)s finansieringen «%(s)s» (%(k)s, %(amount)s, %(st)s).", who=who, v=verb,
                 s=d.get("source", ""), k=_(FUNDING_KINDS.get(d.get("kind"), d.get("kind", ""))).lower(),
                 amount=_nok(d.get("amount")), st=_(FUNDING_STATUSES.get(d.get("status"), d.get("status", ""))).lower())
    if a == "economy.source_deleted":
        return _("%(who)s fjernet finansieringen «%(s)s».", who=who, s=d.get("source", ""))
    return None


DESCRIBERS.append(describe_economy_event)
