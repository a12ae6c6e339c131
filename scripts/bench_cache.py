"""`make bench`, part 1b: the cached databases, one per size (see bench.py).

A database is built once (scripts/bench_fill.py) and kept: under instance/bench/ on
SQLite, as faseport_bench_<size>_<version> beside DATABASE_URL's database on PostgreSQL.
A migration added since is applied to it by make_app(), as to a kommune's database; it is
built anew when the fill changes (FILL_VERSION), when the upgrade fails, or when the
upgraded database still lacks a column the models have (a renumbered migration).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import bench_fill
from bench_fill import fill, make_app


def data_version(staff: int) -> str:
    """Changes when FILL_VERSION is bumped (do so when fill() makes different data) or the
    staff size changes: a cached database is then built anew. A migration added since does
    not change it: make_app() upgrades the cached database as it would a kommune's, and
    prepare() builds it anew only when that upgrade fails (a renumbered revision)."""
    return hashlib.sha256(f"{bench_fill.FILL_VERSION}:{staff}".encode()).hexdigest()[:10]


def database_url(size: int, staff: int, cache: Path) -> tuple[str, bool]:
    """(url, exists) of the database for `size` projects: a file under `cache`, or a
    database beside the one DATABASE_URL names on PostgreSQL."""
    version = data_version(staff)
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgresql"):
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = f"faseport_bench_{size}_{version}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            # "_" is LIKE's any-one-character: unescaped, size 1000's pattern also matched
            # (and dropped) the database of 10000.
            for (old,) in conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p ESCAPE '!' "
                                            "AND datname <> :n"),
                                       {"p": f"faseport!_bench!_{size}!_%", "n": name}):
                conn.execute(text(f'DROP DATABASE "{old}"'))  # built for an older schema or fill
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return make_url(base).set(database=name).render_as_string(hide_password=False), bool(exists)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"bench-{size}-{staff}-{version}.db"
    for old in cache.glob(f"bench-{size}-{staff}-*"):
        if not old.name.startswith(path.name):  # built for an older schema or fill
            old.unlink()
    ready = path.exists() and Path(f"{path}.ready").exists()
    if not ready:
        for suffix in ("", "-journal", "-wal", "-shm", ".ready"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}", ready


def prepare(size: int, staff: int, cache: Path) -> tuple[object, str, float | None]:
    """(app, url, seconds spent filling or None when reused)."""
    url, ready = database_url(size, staff, cache)
    app = None
    try:
        app = make_app(url)
        if ready and (missing := missing_columns(app)):
            raise LookupError(f"mangler {', '.join(missing[:3])}")
    except Exception as exc:  # noqa: BLE001 - a cached database stamped with a revision we no longer have
        if not ready:
            raise
        print(f"{size:>6} prosjekter: kunne ikke oppgradere databasen ({type(exc).__name__}: {exc}); "
              "bygger den på nytt", flush=True)
        if app is not None:  # let go of the file (or the connections) before it is dropped
            with app.app_context():
                from app.extensions import db
                db.engine.dispose()
        drop_database(url)
        url, ready = database_url(size, staff, cache)
        app = make_app(url)
    seconds = None
    if not ready:
        seconds = fill(app, size, staff).seconds
        if url.startswith("sqlite"):
            Path(url.split("///", 1)[1] + ".ready").touch()
    return app, url, seconds


def missing_columns(app) -> list[str]:
    """Columns the models have and the database lacks: a migration renumbered in between
    leaves a cached database stamped as up to date without it."""
    from sqlalchemy import inspect

    from app.extensions import db

    with app.app_context():
        inspector = inspect(db.engine)
        tables = set(inspector.get_table_names())
        out = []
        for table in db.metadata.sorted_tables:
            have = {c["name"] for c in inspector.get_columns(table.name)} if table.name in tables else set()
            out += [f"{table.name}.{c.name}" for c in table.columns if c.name not in have]
        return out


def drop_database(url: str) -> None:
    """Delete the cached database at `url` (a file, or a PostgreSQL database)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1]
        for suffix in ("", "-journal", "-wal", "-shm", ".ready"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(os.environ["DATABASE_URL"], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()
