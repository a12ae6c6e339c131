"""The portfolio panels' stored counts: how many projects stand in each stage, how many
open risks sit in each cell of the heat map and how many benefits have come how far,
per stage, unit and "Skjermet" flag — so that the panels read a few hundred counts
instead of every project, risk and benefit on every view (issue 12).

Kept exact by the session itself: before a flush, the counts the touched projects gave
are read from the tables (their rows locked first on PostgreSQL, so that two transactions
on one project take turns); after it they are read again, and only the difference is
added to the stored counts (``count = count + d``, which PostgreSQL applies to the
committed value, so two projects changed at once never lose each other's change). A
rolled-back transaction takes its differences with it. Writes that go around the ORM
(bulk loads) call ``rebuild_tally``.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import Boolean, Integer, String, delete, event, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

#: panel codes
STAGES, RISKS, BENEFITS = "stage", "risk", "benefit"


class PortfolioTally(db.Model):
    """One stored count of a portfolio panel (see the module)."""

    __tablename__ = "portfolio_tally"

    #: "stage" (one per project), "risk" (open risks, not opportunities) or "benefit"
    panel: Mapped[str] = mapped_column(String(8), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    unit: Mapped[str] = mapped_column(String(200), primary_key=True)
    restricted: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    #: "" for stages; "<probability>x<consequence>" for risks; the progress category for benefits
    bucket: Mapped[str] = mapped_column(String(12), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


def risk_bucket(probability: int, consequence: int) -> str:
    return f"{probability}x{consequence}"


def _contributions(conn, project_ids) -> Counter:
    """What these projects add to the tally, read from the tables as they stand now."""
    from app.models import Project
    from app.models.benefit import Benefit
    from app.models.risk import Risk
    from app.portfolio.columns import benefit_category

    out: Counter = Counter()
    ids = sorted(i for i in project_ids if i is not None)
    group = (Project.stage, Project.unit, Project.restricted)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for stage, unit, restricted, n in conn.execute(
                select(*group, func.count()).where(Project.id.in_(chunk)).group_by(*group)):
            out[(STAGES, stage, unit or "", bool(restricted), "")] += n
        for stage, unit, restricted, p, c, n in conn.execute(
                select(*group, Risk.probability, Risk.consequence, func.count())
                .join(Risk, Risk.project_id == Project.id)
                .where(Project.id.in_(chunk), Risk.status == "open", Risk.kind == "risk")
                .group_by(*group, Risk.probability, Risk.consequence)):
            out[(RISKS, stage, unit or "", bool(restricted), risk_bucket(p, c))] += n
        category = benefit_category().label("category")
        rows = select(*group, category).join(Benefit, Benefit.project_id == Project.id).where(
            Project.id.in_(chunk)).subquery()
        for stage, unit, restricted, cat, n in conn.execute(
                select(rows.c.stage, rows.c.unit, rows.c.restricted, rows.c.category, func.count())
                .group_by(rows.c.stage, rows.c.unit, rows.c.restricted, rows.c.category)):
            out[(BENEFITS, stage, unit or "", bool(restricted), cat)] += n
    return out


def _add(conn, delta: Counter) -> None:
    """count += d for every changed key, in a fixed order (no deadlock between two
    transactions that change the same keys)."""
    table = PortfolioTally.__table__
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    for key in sorted(k for k, d in delta.items() if d):
        panel, stage, unit, restricted, bucket = key
        stmt = upsert(table).values(panel=panel, stage=stage, unit=unit, restricted=restricted, bucket=bucket,
                                    count=delta[key])
        conn.execute(stmt.on_conflict_do_update(index_elements=list(table.primary_key.columns),
                                                set_={"count": table.c.count + stmt.excluded.count}))


def rebuild_tally(conn) -> None:
    """Count everything anew (after a bulk load that went around the ORM)."""
    from app.models import Project

    conn.execute(delete(PortfolioTally.__table__))
    ids = list(conn.execute(select(Project.id)).scalars())
    counts = _contributions(conn, ids)
    rows = [dict(panel=p, stage=s, unit=u, restricted=r, bucket=b, count=n)
            for (p, s, u, r, b), n in sorted(counts.items()) if n]
    for start in range(0, len(rows), 5000):
        conn.execute(insert(PortfolioTally.__table__), rows[start:start + 5000])


# --- keeping it exact --------------------------------------------------------------------------
def _touched(session: Session) -> set[int]:
    """Ids of the projects whose counts this flush may change (known ones: a new project
    has no id yet, and counted nothing before)."""
    from sqlalchemy import inspect

    from app.models import Project
    from app.models.benefit import Benefit, BenefitMeasurement
    from app.models.risk import Risk

    ids: set[int] = set()
    benefit_ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Project):
            ids.add(obj.id)
        elif isinstance(obj, (Risk, Benefit)):
            ids.add(obj.project_id if obj.project_id is not None else getattr(obj.project, "id", None))
            ids.update(v for v in inspect(obj).attrs.project_id.history.deleted or () if v is not None)
        elif isinstance(obj, BenefitMeasurement):
            if obj.benefit_id is None and obj.benefit is not None:
                ids.add(obj.benefit.project_id)
            else:
                benefit_ids.update(v for v in (obj.benefit_id, *(inspect(obj).attrs.benefit_id.history.deleted or ()))
                                   if v is not None)
    if benefit_ids:
        ids.update(session.connection().execute(
            select(Benefit.project_id).where(Benefit.id.in_(benefit_ids))).scalars())
    ids.discard(None)
    return ids


def _before_flush(session: Session, _context, _instances) -> None:
    ids = _touched(session)
    session.info["tally_before"] = ({}, Counter())
    if not ids:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":  # one project's changes take turns (see the module)
        from app.models import Project

        conn.execute(select(Project.id).where(Project.id.in_(sorted(ids))).order_by(Project.id).with_for_update())
    session.info["tally_before"] = (ids, _contributions(conn, ids))


def _after_flush(session: Session, _context) -> None:
    before_ids, before = session.info.pop("tally_before", (set(), Counter()))
    ids = set(before_ids) | _touched(session)
    if not ids:
        return
    conn = session.connection()
    delta = _contributions(conn, ids)
    delta.subtract(before)
    _add(conn, delta)


def install() -> None:
    """Register the events (app.models does this once)."""
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)


__all__ = ["BENEFITS", "PortfolioTally", "RISKS", "STAGES", "install", "rebuild_tally", "risk_bucket"]
