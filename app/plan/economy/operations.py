"""The economy tab's state changes, each with its audit event (the request commits once).
The plan's total budget follows the sum of the years."""
from __future__ import annotations

from app.audit import delete_recorded, record
from app.extensions import db
from app.models import Project
from app.models.economy import BudgetLine, FundingSource
from app.plan.editing import save
from app.plan.plan.queries import get_or_add_plan


def _sync_total(project: Project) -> None:
    """Keep the plan's total budget (what the portfolio lists) equal to the sum of the years."""
    db.session.flush()
    lines = db.session.execute(db.select(BudgetLine).where(BudgetLine.project_id == project.id)).scalars().all()
    plan = get_or_add_plan(project)
    total = sum(line.total for line in lines) if lines else None
    if plan.budget_nok != total:
        plan.budget_nok = total
        db.session.flush()


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
    delete_recorded(row, "economy.source_deleted", project_id=project.id, source=row.source, kind=row.kind,
                    amount=row.amount_nok)
