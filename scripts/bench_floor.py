"""`make bench`, part 2: the floor, the portfolio page written by hand.

The same first page of the portfolio as lise (portefolje) sees it, read straight from the
same database with the driver itself (stdlib sqlite3, or psycopg on PostgreSQL) and
rendered with one Jinja template: no Flask, no ORM, no session, no layout. `table()` is
the table alone (its rows with their lights, milestone, budget, benefits, priority and
programme, and a count bounded as the page's is); `with_panels()` adds the three panels
(projects per stage, open risks by probability and consequence, benefits by progress).
The page is measured against these in the same run, so a busy machine slows both.
"""
from __future__ import annotations

import time
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

HERE = Path(__file__).resolve().parent
ENV = Environment(loader=FileSystemLoader(HERE), autoescape=select_autoescape(["html"]))
TEMPLATE = "bench_floor.html"
PER_PAGE, COUNT_LIMIT = 50, 551

VISIBLE = "p.stage <> 'draft'"
ROWS = f"""
SELECT p.id, p.title, p.stage, p.unit, p.restricted, o.display_name, m.display_name, pp.budget_nok, p.sort_priority
FROM project p LEFT JOIN "user" o ON o.id = p.owner_id LEFT JOIN "user" m ON m.id = p.manager_id
LEFT JOIN project_plan pp ON pp.project_id = p.id
WHERE {VISIBLE} ORDER BY p.stage_rank, p.title_key, p.id LIMIT {PER_PAGE}"""
COUNT = f"SELECT count(*) FROM (SELECT 1 FROM project p WHERE {VISIBLE} LIMIT {COUNT_LIMIT}) x"
LIGHTS = """
SELECT sr.project_id, sr.period_label, sr.progress_status, sr.cost_status, sr.quality_status, sr.risk_status,
       sr.benefits_status
FROM status_report sr WHERE sr.id IN (SELECT (SELECT x.id FROM status_report x WHERE x.project_id = p.id
  AND x.status = 'published' ORDER BY x.published_at DESC, x.id DESC LIMIT 1) FROM project p WHERE p.id IN ({ids}))"""
MILESTONES = """
SELECT m.project_id, m.number, m.description, m.due_date FROM milestone m
WHERE m.id IN (SELECT (SELECT x.id FROM milestone x WHERE x.project_id = p.id AND x.done_date IS NULL
  ORDER BY x.due_date, x.id LIMIT 1) FROM project p WHERE p.id IN ({ids}))"""
BENEFITS = """
SELECT b.project_id, count(*), avg(p.sort_benefits) FROM benefit b JOIN project p ON p.id = b.project_id
WHERE b.project_id IN ({ids}) GROUP BY b.project_id"""
PROGRAMMES = """
SELECT pp.project_id, g.name FROM programme_project pp JOIN programme g ON g.id = pp.programme_id
WHERE pp.project_id IN ({ids})"""
FUNNEL = f"SELECT p.stage, count(*) FROM project p WHERE {VISIBLE} GROUP BY p.stage"
HEAT = f"""
SELECT r.probability, r.consequence, count(*) FROM risk r JOIN project p ON p.id = r.project_id
WHERE r.status = 'open' AND r.kind = 'risk' AND {VISIBLE} GROUP BY r.probability, r.consequence"""
RATIO = ("(CAST(bm.value AS FLOAT) - b.baseline) / (CAST(b.target AS FLOAT) - b.baseline)")
BENEFIT_CATEGORIES = f"""
SELECT category, count(*) FROM (
  SELECT CASE WHEN b.baseline IS NULL OR b.target IS NULL OR b.target = b.baseline THEN 'undefined'
    ELSE coalesce((SELECT CASE WHEN {RATIO} >= 1.0 THEN 'reached' WHEN {RATIO} >= 0.5 THEN 'halfway'
      ELSE 'started' END FROM benefit_measurement bm WHERE bm.benefit_id = b.id
      ORDER BY bm.measured_on DESC, bm.id DESC LIMIT 1), 'unmeasured') END AS category
  FROM benefit b JOIN project p ON p.id = b.project_id WHERE {VISIBLE}) c GROUP BY category"""


def connect(url: str):
    """A plain driver connection to the database at the SQLAlchemy `url`."""
    if url.startswith("sqlite"):
        import sqlite3

        return sqlite3.connect(url.split("///", 1)[1])
    import psycopg

    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    return conn


def _all(conn, sql: str) -> list[tuple]:
    cur = conn.cursor()
    cur.execute(sql)
    rows = cur.fetchall()
    cur.close()
    return rows


def _table_context(conn) -> dict:
    rows = _all(conn, ROWS)
    ids = ",".join(str(r[0]) for r in rows) or "0"
    lights = {r[0]: r[1:] for r in _all(conn, LIGHTS.format(ids=ids))}
    milestones = {r[0]: r[1:] for r in _all(conn, MILESTONES.format(ids=ids))}
    benefits = {r[0]: r[1:] for r in _all(conn, BENEFITS.format(ids=ids))}
    programmes = dict(_all(conn, PROGRAMMES.format(ids=ids)))
    return {"rows": rows, "total": _all(conn, COUNT)[0][0], "lights": lights, "milestones": milestones,
            "benefits": benefits, "programmes": programmes}


def _panels_context(conn) -> dict:
    return {"funnel": _all(conn, FUNNEL), "heat": _all(conn, HEAT), "categories": _all(conn, BENEFIT_CATEGORIES)}


def render(conn, *, panels: bool) -> str:
    ctx = _table_context(conn)
    if panels:
        ctx.update(_panels_context(conn))
    return ENV.get_template(TEMPLATE).render(panels=panels, **ctx)


def timed(conn, *, panels: bool) -> tuple[float, float, int]:
    """(wall ms, CPU ms, bytes) of one rendering."""
    wall, cpu = time.perf_counter(), time.process_time()
    html = render(conn, panels=panels)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, len(html)
