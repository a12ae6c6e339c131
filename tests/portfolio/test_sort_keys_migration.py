"""Migration 0011 (stored sort keys) on a database of its own: it fills the keys of the
rows already there, and its downgrade takes everything away again (SQLite and, under
tests.support.postgres, PostgreSQL)."""
from __future__ import annotations

import os
import uuid
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from config import TestConfig

NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture()
def fresh_url(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migration.db'}"
        return
    name = f"faseport_migration_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _app(url):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS: dict = {}

    return create_app(Config)


def _insert(conn, table: str, **values) -> None:
    """Insert a row, giving every other required column a plain value of its type."""
    for col in sa.inspect(conn).get_columns(table):
        if col["name"] in values or col["nullable"] or col.get("default") is not None or col["name"] == "id":
            continue
        kind = col["type"]
        values[col["name"]] = (NOW if isinstance(kind, sa.DateTime) else date(2026, 1, 1) if isinstance(kind, sa.Date)
                               else False if isinstance(kind, sa.Boolean) else 1 if isinstance(kind, sa.Integer)
                               else [] if isinstance(kind, sa.JSON) else "")
    meta = sa.MetaData()
    conn.execute(sa.Table(table, meta, autoload_with=conn).insert().values(**values))


def _index_names(conn, table: str) -> set[str]:
    """Every index on `table`, expression indexes included (which the inspector skips)."""
    if conn.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"
    else:
        sql = "SELECT indexname FROM pg_indexes WHERE tablename = :t"
    return set(conn.execute(sa.text(sql), {"t": table}).scalars())


def _columns(conn, table):
    return {c["name"] for c in sa.inspect(conn).get_columns(table)}


def test_0011_fills_the_keys_of_existing_rows_and_downgrades_cleanly(fresh_url):
    app = _app(fresh_url)
    with app.app_context():
        from app.extensions import db

        upgrade(revision="0010")
        with db.engine.begin() as conn:
            for uid, name in ((1, "Åse Aas"), (2, "Zakarias Berg")):
                _insert(conn, "user", id=uid, directory_id=f"dir-{uid}", username=f"u{uid}", display_name=name)
            for pid, title, stage in ((1, "Øvre skole", "planning"), (2, "Zebra", "idea"), (3, "Ærlig", "draft")):
                _insert(conn, "project", id=pid, version=1, title=title, stage=stage, unit="Økonomi",
                        personal_data="yes", needs_ikt="no", restricted=False, submitted_by_id=1, owner_id=1,
                        manager_id=2)
            _insert(conn, "project_plan", project_id=1, version=1, budget_nok=750000)
            _insert(conn, "milestone", version=1, project_id=1, number="M1", description="Pilot",
                    due_date=date(2026, 5, 1))
            _insert(conn, "benefit", id=1, version=1, project_id=1, description="Spart tid", kind="quality",
                    baseline=100.0, target=50.0)
            _insert(conn, "benefit_measurement", benefit_id=1, measured_on=date(2026, 3, 1), value=70.0,
                    recorded_by_id=1)

        upgrade(revision="0011")
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT title, title_key, unit_key, stage_rank, sort_owner, sort_manager, sort_budget, "
                "sort_milestone, sort_privacy FROM project ORDER BY title_key")).all()
            assert [r.title for r in rows] == ["Zebra", "Ærlig", "Øvre skole"]  # Norwegian order
            first = {r.title: r for r in rows}["Øvre skole"]
            assert first.stage_rank == 3 and first.unit_key == "|konomi"
            assert first.sort_owner == "}se aas" and first.sort_manager == "zakarias berg"
            assert first.sort_budget == 750000 and str(first.sort_milestone) == "2026-05-01"
            assert first.sort_privacy == 0  # planning, no DPIA settled
            assert conn.execute(sa.text("SELECT progress_category FROM benefit")).scalar_one() == "halfway"
            names = conn.execute(sa.text('SELECT name_key FROM "user" ORDER BY name_key')).scalars().all()
            assert names == ["zakarias berg", "}se aas"]
            indexes = _index_names(conn, "project")
            assert {"ix_project_sort_title", "ix_project_sort_priority_desc", "ix_project_needs_ikt"} <= indexes

        downgrade(revision="0010")
        with db.engine.connect() as conn:
            assert not {"title_key", "stage_rank", "sort_budget", "sort_privacy"} & _columns(conn, "project")
            assert "name_key" not in _columns(conn, "user")
            assert "progress_category" not in _columns(conn, "benefit")
            assert conn.execute(sa.text("SELECT count(*) FROM project")).scalar_one() == 3
            assert "ix_technical_task_due" not in _index_names(conn, "technical_task")
            assert not {n for n in _index_names(conn, "project") if n.startswith(("ix_project_sort", "ix_project_needs"))}
        upgrade()  # and up again
        db.engine.dispose()
