"""`make bench`: Faseport at 1,000, 10,000 and 50,000 projects, compared, not clocked.

    .venv/bin/python scripts/bench.py                       # SQLite, cached under instance/bench/
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python scripts/bench.py   # PostgreSQL
    .venv/bin/python scripts/bench.py --sizes 1000,5000 --requests 10

Builds (or reuses, keyed by the migrations and the fill's version) one database per size
(scripts/bench_fill.py), signs in through real server-side sessions and sends requests
through Flask's test client, timing each (wall and CPU) and counting its SQL statements.
In the same loop it renders the floor (scripts/bench_floor.py): the portfolio page written
by hand with the database driver and one Jinja template, reading order and panels from
the tables as the issue measured it (a strict floor that also uses the app's stored keys
is printed beside it). The exports run in a child process each, so that its peak memory
is theirs alone.

Every target is a ratio measured in the same run, so a busy machine does not change the
verdict: the portfolio at 10,000 projects within 1.5× the floor with panels and 3× the
table-only floor (CPU on SQLite, wall time on PostgreSQL, whose work is in another
process); every listing page's median at the largest size within 1.3× its median at the
smallest; statements per page the same at every size; the exports of the largest size
under 15 s and 250 MB each.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "scripts"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import bench_cpu  # noqa: E402
import bench_fill  # noqa: E402
import bench_floor  # noqa: E402
from bench_cache import prepare  # noqa: E402,F401 - bench_report uses it from here
from bench_fill import Filled, fill, make_app  # noqa: E402,F401 - tests/bench uses them from here

SIZES = (1_000, 10_000, 50_000)
STAFF = 2_000
#: listing pages: their median at the largest size within this factor of the smallest
GROWTH_LIMIT = 1.3
#: the portfolio against the floor, at FLOOR_SIZE
FLOOR_SIZE, PANELS_LIMIT, TABLE_LIMIT = 10_000, 1.5, 3.0
#: exports at the largest size
EXPORT_SECONDS, EXPORT_MB = 15.0, 250.0
LISTINGS = ("portfolio", "portfolio_sorted", "mine", "ikt", "privacy", "feed")


# --- measuring ----------------------------------------------------------------------------------
@dataclass
class Result:
    key: str
    label: str
    as_user: str
    times_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]

    @property
    def ok(self) -> bool:
        return self.statuses == {200}


def sign_in(app, client, username: str) -> None:
    """A live server-side session for `username` in `client` (as tests.support.factories)."""
    from app.extensions import db
    from app.models import User, UserSession

    token = secrets.token_urlsafe(16)
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
        db.session.add(UserSession(token_hash=hashlib.sha256(token.encode()).hexdigest(), user_id=user.id))
        db.session.commit()
    with client.session_transaction() as sess:
        sess.clear()
        sess["sid"] = token


def api_token(app, username: str) -> str:
    from app.api.tokens import create_token
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
        _row, plaintext = create_token(user, "Bench")
        db.session.commit()
    return plaintext


def sample_projects(app) -> tuple[list[int], list[int]]:
    """Open running projects for the project page, and planning ones for the gate page."""
    from app.extensions import db
    from app.models import Project

    with app.app_context():
        def ids(*stages):
            return list(db.session.execute(db.select(Project.id).where(
                Project.stage.in_(stages), Project.restricted.is_(False)).order_by(Project.id).limit(20)).scalars())
        return ids("planning", "execution"), ids("planning")


#: (key, label, user, auth, paths); "{p}"/"{g}" take project ids
PAGES = (
    ("portfolio", "Portefølje, tabellen", "lise", "", ["/portfolio"]),
    ("portfolio_panels", "Portefølje, panelene", "lise", "htmx", ["/portfolio/panels"]),
    ("portfolio_sorted", "Portefølje, sortert og filtrert", "lise", "",
     ["/portfolio?sort=priority&dir=desc", "/portfolio?stage=planning&unit=Teknisk&sort=title",
      "/portfolio?sort=status&dir=desc&page=3", "/portfolio?unit=Skole&sort=budget&dir=desc"]),
    ("project", "Prosjektside", "lise", "", ["/projects/{p}"]),
    ("gate", "Beslutningspunkt BP3", "lise", "", ["/projects/{g}/gates/BP3"]),
    ("mine", "Mitt (forsiden)", "kari", "", ["/"]),
    ("ikt", "IKT-køen", "per", "", ["/ikt", "/ikt?status=all&sort=project", "/ikt?page=2"]),
    ("privacy", "Personvernkøen", "siri", "", ["/personvern", "/personvern?dpia=open"]),
    ("feed", "Feed ?per_page=100", "lise", "bearer", ["/api/v1/projects?per_page=100",
                                                     "/api/v1/projects?per_page=100&page=7"]),
)
EXPORT_PAGES = (("csv", "CSV-eksport", "/portfolio/export.csv"), ("xlsx", "XLSX-eksport", "/portfolio/export.xlsx"))


def _expand(paths, project_ids, gate_ids) -> list[str]:
    out = []
    for path in paths:
        if "{p}" in path:
            out += [path.format(p=i) for i in project_ids]
        elif "{g}" in path:
            out += [path.format(g=i) for i in gate_ids]
        else:
            out.append(path)
    return out


class Counter:
    """SQL statements sent on the app's engine, and the CPU time the PostgreSQL server
    spent for them (`server`, see bench_cpu)."""

    def __init__(self, app, url: str = ""):
        from sqlalchemy import event

        from app.extensions import db

        with app.app_context():
            self.engine = db.engine
        self.n = 0
        self.server = bench_cpu.ServerCPU(self.engine, url)
        event.listen(self.engine, "before_cursor_execute", self._count)

    def _count(self, *_args, **_kw):
        self.n += 1

    def close(self):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)
        self.server.close()


def _client(app, user: str, auth: str, cache: dict):
    if (user, auth) not in cache:
        client = app.test_client()
        headers = {}
        if auth == "bearer":
            headers = {"Authorization": f"Bearer {api_token(app, user)}"}
        else:
            sign_in(app, client, user)
            if auth == "htmx":
                headers = {"HX-Request": "true"}
        cache[(user, auth)] = (client, headers)
    return cache[(user, auth)]


def _get(client, headers, path, counter) -> tuple[float, float, int, int]:
    """(wall ms, CPU ms of this process and of the database server, statements, status)."""
    counter.n = 0
    counter.server.start()
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, headers=headers)
    for _chunk in response.response:  # a streamed body is produced here
        pass
    elapsed, used = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
    used += counter.server.stop()
    status, n = response.status_code, counter.n
    response.close()
    return elapsed, used, n, status


def measure(app, url: str, requests: int, *, exports: bool = False, warmup: int = 3) -> dict[str, Result]:
    """Every page of one database `requests` times (see measure_sizes)."""
    return measure_sizes({0: (app, url)}, requests, exports=exports, warmup=warmup)[0]


def measure_sizes(apps: dict, requests: int, *, exports: bool = False, warmup: int = 3) -> dict[int, dict[str, Result]]:
    """Every page `requests` times on every database in `apps` (size → (app, url)),
    round-robin over its paths, the sizes taking turns request by request and the
    floors rendered in the same loop as the portfolio: a machine that gets busier while
    the bench runs slows every size and the floor alike."""
    sizes = list(apps)
    state = {}
    for size, (app, url) in apps.items():
        project_ids, gate_ids = sample_projects(app)
        floor = bench_floor.connect(url)
        state[size] = {"app": app, "counter": Counter(app, url), "clients": {}, "floor": floor,
                       "floor_server": bench_cpu.FloorServerCPU(floor, url),
                       "ids": (project_ids, gate_ids), "results": {}}
    pages = list(PAGES) + ([(k, lbl, "lise", "", [p]) for k, lbl, p in EXPORT_PAGES] if exports else [])
    floor_labels = {"floor_table": "Gulv: tabellen", "floor_panels": "Gulv: tabell og paneler",
                    "floor_table_stored": "Strengt gulv: tabellen", "floor_panels_stored": "Strengt gulv: med paneler"}
    try:
        for key, label, user, auth, raw_paths in pages:
            plan = {}
            for size in sizes:
                st = state[size]
                paths = _expand(raw_paths, *st["ids"])
                if not paths or (key == "gate" and "gates.show_gate" not in st["app"].view_functions):
                    continue
                client, headers = _client(st["app"], user, auth, st["clients"])
                for i in range(warmup):
                    _get(client, headers, paths[i % len(paths)], st["counter"])
                st["results"][key] = Result(key, label, user)
                plan[size] = (client, headers, paths)
            floor_kind = {"portfolio": "floor_table", "portfolio_panels": "floor_panels"}.get(key)
            for i in range(requests):
                for size, (client, headers, paths) in plan.items():
                    st = state[size]
                    result = st["results"][key]
                    wall, cpu, n, status = _get(client, headers, paths[i % len(paths)], st["counter"])
                    result.times_ms.append(wall)
                    result.cpu_ms.append(cpu)
                    result.queries.append(n)
                    result.statuses.add(status)
                    if not floor_kind:
                        continue
                    for kind, stored in ((floor_kind, False), (f"{floor_kind}_stored", True)):
                        floor = st["results"].setdefault(kind, Result(kind, floor_labels[kind], "lise",
                                                                      statuses={200}))
                        fwall, fcpu, _size = bench_floor.timed(st["floor"], panels=key == "portfolio_panels",
                                                               stored=stored, server=st["floor_server"])
                        floor.times_ms.append(fwall)
                        floor.cpu_ms.append(fcpu)
                        floor.queries.append(0)
    finally:
        for st in state.values():
            st["counter"].close()
            st["floor"].close()
    return {size: state[size]["results"] for size in sizes}


def export_in_child(url: str, path: str) -> dict:
    """Run one export in a fresh process: its time, statements and peak memory."""
    out = subprocess.run([sys.executable, __file__, "--child-export", path, "--url", url],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: since its own exec, unlike ru_maxrss,
    which Linux carries over from the parent that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_export(url: str, path: str) -> None:
    app = make_app(url)
    client = app.test_client()
    sign_in(app, client, "lise")
    counter = Counter(app, url)
    _get(client, {}, "/portfolio?per_page=10", counter)  # the pool's connection, followed from here
    wall, cpu, n, status = _get(client, {}, path, counter)
    peak = _peak_mb()
    print(json.dumps({"seconds": wall / 1000, "cpu_seconds": cpu / 1000, "queries": n, "status": status,
                      "peak_mb": peak}))


def run(db_path: Path, projects: int, staff: int, requests: int, *, slow_requests: int | None = None,
        only: set[str] | None = None) -> tuple[Filled, list[Result]]:
    """Build a fresh SQLite database at `db_path`, fill it and measure every page in this
    process, exports included (tests/bench)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{db_path}"
    app = make_app(url)
    filled = fill(app, projects, staff)
    results = measure(app, url, requests, exports=True, warmup=1)
    with app.app_context():
        from app.extensions import db
        db.engine.dispose()
    return filled, [r for r in results.values() if not r.key.startswith("floor")]


def query_counts(results: list[Result]) -> dict[str, tuple[int, int]]:
    """Endpoint → (fewest, most) statements per request."""
    return {r.key: (min(r.queries), max(r.queries)) for r in results}


if __name__ == "__main__":
    from bench_report import main

    parser = argparse.ArgumentParser()
    parser.add_argument("--child-export")
    parser.add_argument("--url")
    known, _rest = parser.parse_known_args()
    if known.child_export:
        _child_export(known.url, known.child_export)
        sys.exit(0)
    sys.exit(main())
