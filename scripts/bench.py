"""`make bench`: Faseport at municipal scale, measured.

    .venv/bin/python scripts/bench.py                      # 10 000 projects, 2 000 staff
    .venv/bin/python scripts/bench.py --projects 2000 --requests 10

Fills a separate SQLite database (instance/bench.db by default, rebuilt every run; never
the demo database) with projects in every stage — roles, gate requests and decisions,
plans with budgets, milestones, benefits and measurements, risks, status reports,
priority scores, technical tasks and privacy assessments, wherever those tables exist —
and staff, using bulk inserts. Then it signs in through real server-side sessions and
sends many requests through Flask's test client, timing each on the server
(time.perf_counter) and counting its SQL statements (a SQLAlchemy event listener):

    the portfolio (unfiltered, filtered, sorted) and its CSV export as lise (portefolje),
    a project page as lise, the IKT queue as per (ikt), the privacy queue as siri
    (personvern), and the feed /api/v1/projects?per_page=100 with lise's API token.

It prints the median and 95th percentile per page and PASS/FAIL against the targets:
portfolio and feed under 150 ms at the 95th percentile, a project page under 50 ms, and a
number of statements per page that does not grow with the data (compared with the same
pages on a 50-project database built first). Pages that do not exist yet are skipped.

tests/bench/ runs the same code at small scale to hold the statement counts.
"""
from __future__ import annotations

import argparse
import hashlib
import logging
import random
import secrets
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: the targets: endpoint key → p95 limit in milliseconds
TARGETS_MS = {
    "portfolio": 150.0, "portfolio_filtered": 150.0, "portfolio_sorted": 150.0,
    "feed": 150.0, "project": 50.0,
}
#: a small database the statement counts are compared with
BASELINE_PROJECTS, BASELINE_STAFF = 50, 40

UNITS = ("Helse og omsorg", "Oppvekst og utdanning", "Teknisk", "Økonomi", "Rådmannens stab", "Kultur",
         "NAV kommune", "Eiendom", "Plan og bygg", "Barnevern", "Hjemmetjenesten", "Sykehjem",
         "Barnehage", "Skole", "IKT")
FIRST = ("Anne", "Ole", "Kari", "Per", "Ingrid", "Lars", "Marit", "Nils", "Åse", "Bjørn", "Hilde", "Geir",
         "Sofie", "Jonas", "Thea", "Emil", "Nina", "Tor", "Eva", "Ahmed", "Mari", "Kristian", "Randi", "Oddvar")
LAST = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
        "Karlsen", "Berg", "Haugen", "Hagen", "Eriksen", "Dahl", "Lie", "Strand", "Øvrebø", "Aas", "Moe")
WHAT = ("Digital byggesøknad", "Velferdsteknologi", "Elektronisk pasientjournal", "Digitalt førstevalg",
        "Chatbot", "Ny sak- og arkivløsning", "Trygghetsalarmer", "Digitale arbeidslister", "Selvbetjening",
        "Digital postkasse", "Robotisering av fakturaflyt", "Sensorer i sykehjem", "Skoleskyss-app",
        "Digitalt tilsyn", "Digital nøkkelboks", "Innbyggerdialog")
#: the stages and how many projects stand in each, roughly as in a real portfolio
STAGE_WEIGHTS = (("idea", 30), ("concept", 14), ("planning", 12), ("execution", 15), ("handover", 5),
                 ("realisation", 8), ("completed", 8), ("rejected", 4), ("withdrawn", 2), ("draft", 2))
ORDER = {"draft": 0, "idea": 1, "concept": 2, "planning": 3, "execution": 4, "handover": 5,
         "realisation": 6, "completed": 7, "rejected": 1, "withdrawn": 1}
GATES = ("BP1", "BP2", "BP3", "BP4", "BP5", "BP6")
#: the named people the pages are measured as: username → (display name, roles)
CAST = {"lise": ("Lise Johansen", "portefolje"), "per": ("Per Hansen", "ikt"),
        "siri": ("Siri Lie", "personvern"), "admin": ("Adam Berge", "admin"), "kari": ("Kari Nordmann", ""),
        "ola": ("Ola Nordmann", ""), "ida": ("Ida Berg", "")}
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
TODAY = NOW.date()


# --- the application on its own database ----------------------------------------------------------
def make_app(db_path: Path):
    """A Faseport app on the SQLite file `db_path` (created from the migrations)."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{db_path}"
        SQLALCHEMY_ENGINE_OPTIONS: dict = {}
        SECRET_KEY = "bench-not-secret"
        LDAP_URL = "demo"
        LDAP_ROLE_GROUPS: dict = {}
        HTMX_FROM_CDN = False
        MAIL_SERVER = ""
        MAIL_SEND_IN_BACKGROUND = False
        DEBUG = False
        TESTING = False

    # Alembic's logging set-up (migrations/env.py) would print every migration: keep the
    # report readable by holding INFO back while the app is built.
    logging.disable(logging.INFO)
    try:
        app = create_app(BenchConfig)
        with app.app_context():
            upgrade()
            db.create_all()  # tables whose migration is still being written (no-op otherwise)
    finally:
        logging.disable(logging.NOTSET)
    for name in ("alembic", "app", "werkzeug"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return app


def _model(module: str, name: str):
    """A model class if its module exists (other areas may not have landed yet)."""
    try:
        mod = __import__(module, fromlist=[name])
        return getattr(mod, name)
    except (ImportError, AttributeError):
        return None


# --- filling ---------------------------------------------------------------------------------
@dataclass
class Filled:
    """What fill() made: counts per table and the ids the measurements need."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    project_ids: list[int] = field(default_factory=list)
    units: tuple[str, ...] = UNITS


def _stage(rng: random.Random) -> str:
    total = sum(w for _s, w in STAGE_WEIGHTS)
    pick = rng.uniform(0, total)
    for stage, weight in STAGE_WEIGHTS:
        pick -= weight
        if pick <= 0:
            return stage
    return "idea"


def fill(app, projects: int, staff: int, seed: int = 2026) -> Filled:
    """Fill the (empty) database with `projects` projects and `staff` staff plus the CAST.

    Every project's content is drawn from its own random generator (seeded by its number),
    so project n looks the same whatever the size of the portfolio."""
    from sqlalchemy import inspect, insert

    from app.extensions import db
    from app.models import GateDecision, GateRequest, Project, ProjectMember, User

    started = time.perf_counter()
    out = Filled()
    with app.app_context():
        existing = set(inspect(db.engine).get_table_names())

        def put(model, rows: list[dict]) -> None:
            if model is None or model.__tablename__ not in existing or not rows:
                return
            for start in range(0, len(rows), 5000):
                db.session.execute(insert(model), rows[start:start + 5000])
            out.counts[model.__tablename__] = out.counts.get(model.__tablename__, 0) + len(rows)

        # Staff: the cast first (ids 1…), then everyone else.
        users = []
        for i, (username, (name, roles)) in enumerate(CAST.items(), start=1):
            users.append(dict(id=i, directory_id=f"bench-{username}", username=username, display_name=name,
                              email=f"{username}@bench.kommune.no", unit=UNITS[i % len(UNITS)], title="",
                              leader_username=None, roles_text=roles, created_at=NOW))
        rng = random.Random(seed)
        for n in range(staff):
            uid = len(CAST) + n + 1
            roles = "ikt" if n % 50 == 0 else ""
            users.append(dict(id=uid, directory_id=f"bench-u{n}", username=f"ansatt{n:05}",
                              display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                              email=f"ansatt{n:05}@bench.kommune.no", unit=rng.choice(UNITS),
                              title="Rådgiver", leader_username=None, roles_text=roles, created_at=NOW))
        put(User, users)
        n_users = len(users)
        cast_ids = {u["username"]: u["id"] for u in users[:len(CAST)]}

        Milestone = _model("app.models.plan", "Milestone")
        ProjectPlan = _model("app.models.plan", "ProjectPlan")
        Benefit = _model("app.models.benefit", "Benefit")
        BenefitMeasurement = _model("app.models.benefit", "BenefitMeasurement")
        Risk = _model("app.models.risk", "Risk")
        StatusReport = _model("app.models.status_report", "StatusReport")
        TechnicalTask = _model("app.models.task", "TechnicalTask")
        PrivacyAssessment = _model("app.models.task", "PrivacyAssessment")
        PriorityScore = _model("app.models.portfolio", "PriorityScore")

        rows: dict[str, list[dict]] = {k: [] for k in (
            "project", "member", "request", "decision", "plan", "milestone", "benefit", "measurement",
            "risk", "report", "task", "privacy", "priority")}
        request_id = decision_id = benefit_id = 0
        for pid in range(1, projects + 1):
            r = random.Random(seed * 100_003 + pid)
            person = lambda: r.randint(1, n_users)  # noqa: E731 - a random member of staff
            stage = _stage(r)
            order = ORDER[stage]
            owner, manager = person(), person()
            if manager == owner:
                manager = owner % n_users + 1
            created = NOW - timedelta(days=r.randint(10, 1500))
            unit = r.choice(UNITS)
            rows["project"].append(dict(
                id=pid, version=1, title=f"{r.choice(WHAT)} – {unit.lower()} ({pid})", stage=stage,
                need="Dagens arbeid er manuelt og tar for mye tid.", proposed_solution="En digital løsning.",
                expected_benefits="Spart tid og bedre kvalitet.", affected="Ansatte og innbyggere.", unit=unit,
                personal_data=r.choice(("yes", "yes", "no", "unknown")), needs_ikt=r.choice(("yes", "no", "unknown")),
                restricted=r.random() < 0.03, submitted_by_id=person(), owner_id=owner,
                owner_confirmed_at=created if order >= 2 else None, manager_id=manager if order >= 2 else None,
                created_at=created, submitted_at=None if stage == "draft" else created, updated_at=created))
            if stage == "draft":
                continue
            used = set()
            for role in ("benefits_owner", "member", "member", "change_agent") + (
                    ("technical_lead",) if r.random() < 0.5 else ()):
                uid = person()
                if (uid, role) not in used:
                    used.add((uid, role))
                    rows["member"].append(dict(project_id=pid, user_id=uid, role=role, added_at=created))
            # One approved request per gate passed; an open or final one at the current gate.
            passed = max(0, min(order, 7) - 1) if stage not in ("rejected", "withdrawn") else r.randint(0, 2)
            for g in range(passed + (1 if stage in ("rejected", "idea") and r.random() < 0.5 else 0)):
                request_id += 1
                final = g < passed
                status = "approved" if final else ("rejected" if stage == "rejected" else "pending")
                at = created + timedelta(days=30 * (g + 1))
                rows["request"].append(dict(id=request_id, version=1, project_id=pid, gate=GATES[min(g, 5)],
                                            status=status, summary="Klar for beslutning.",
                                            requested_by_id=manager if g else owner, requested_at=at,
                                            checklist_snapshot=[], postponed_until=None))
                if status != "pending":
                    decision_id += 1
                    rows["decision"].append(dict(id=decision_id, request_id=request_id,
                                                 decision="approve" if status == "approved" else "reject",
                                                 decided_by_id=owner, decided_at=at + timedelta(days=3),
                                                 comment="Godkjent.", postponed_until=None, checklist_snapshot=[]))
            if order >= 2:
                rows["plan"].append(dict(project_id=pid, version=1, background="Bakgrunn.", purpose="Formål.",
                                         budget_nok=r.randrange(200_000, 20_000_000, 50_000),
                                         start_date=created.date(), end_date=created.date() + timedelta(days=700),
                                         updated_at=created))
                rows["priority"].append(dict(project_id=pid, version=1, strategic_value=r.randint(1, 5),
                                             quality_benefit=r.randint(1, 5), economic_benefit=r.randint(1, 5),
                                             operational_need=r.randint(1, 5), risk=r.randint(1, 5),
                                             scored_by_id=cast_ids["lise"], scored_at=created))
                for b in range(2):
                    benefit_id += 1
                    baseline = float(r.randint(100, 500))
                    rows["benefit"].append(dict(
                        id=benefit_id, version=1, project_id=pid, description=f"Gevinst {b + 1}",
                        kind=r.choice(("economic", "quality", "citizens")), indicator="Timer per uke",
                        unit="timer", baseline=baseline, baseline_measured_on=created.date(),
                        target=baseline * 0.6, due_on=created.date() + timedelta(days=900), owner_id=owner,
                        created_at=created, updated_at=created))
                    if order >= 5:
                        for m in range(2):
                            rows["measurement"].append(dict(
                                benefit_id=benefit_id, measured_on=created.date() + timedelta(days=400 + 90 * m),
                                value=baseline * (0.9 - 0.1 * m), comment="", recorded_by_id=owner,
                                recorded_at=created))
                for k in range(3):
                    rows["risk"].append(dict(version=1, project_id=pid, kind="risk",
                                             description=f"Usikkerhet {k + 1}", probability=r.randint(1, 5),
                                             consequence=r.randint(1, 5), strategy="reduce", action="Tiltak.",
                                             responsible_id=manager, status="open", created_at=created,
                                             updated_at=created))
            if order >= 3:
                for m in range(4):
                    due = created.date() + timedelta(days=120 * (m + 1))
                    rows["milestone"].append(dict(version=1, project_id=pid, number=f"M{m + 1}",
                                                  description=f"Milepæl {m + 1}", responsible_id=manager,
                                                  due_date=due, done_date=due if due < TODAY - timedelta(days=30)
                                                  else None, created_at=created, updated_at=created))
            if order >= 4:
                for k in range(3):
                    lights = [r.choice(("green", "green", "yellow", "red")) for _ in range(5)]
                    at = created + timedelta(days=200 + 30 * k)
                    rows["report"].append(dict(
                        version=1, project_id=pid, period_label=f"Periode {k + 1}", progress_status=lights[0],
                        progress_comment="", cost_status=lights[1], cost_comment="", quality_status=lights[2],
                        quality_comment="", risk_status=lights[3], risk_comment="", benefits_status=lights[4],
                        benefits_comment="", overall_comment="Går etter planen.", status="published",
                        author_id=manager, created_at=at, updated_at=at, published_at=at,
                        published_by_id=manager, snapshot={}))
            if 2 <= order <= 4 and stage not in ("rejected", "withdrawn"):
                for k in range(2):
                    rows["task"].append(dict(
                        version=1, project_id=pid, title=f"IKT-oppgave {k + 1}", description="",
                        kind=r.choice(("access", "test_env", "integration", "infosec")),
                        due_date=TODAY + timedelta(days=r.randint(-20, 60)),
                        status=r.choice(("open", "open", "in_progress", "done")),
                        assignee_id=cast_ids["per"] if r.random() < 0.2 else None, created_by_id=manager,
                        created_at=created, updated_at=created))
            if order >= 2 and r.random() < 0.5:
                rows["privacy"].append(dict(version=1, project_id=pid, updated_by_id=cast_ids["siri"],
                                            dpia_status=r.choice(("pakrevd", "under_arbeid", "ferdig",
                                                                  "ikke_nodvendig")),
                                            comment="Vurdert.", updated_at=created))
        put(Project, rows["project"])
        put(ProjectMember, rows["member"])
        put(GateRequest, rows["request"])
        put(GateDecision, rows["decision"])
        put(ProjectPlan, rows["plan"])
        put(PriorityScore, rows["priority"])
        put(Benefit, rows["benefit"])
        put(BenefitMeasurement, rows["measurement"])
        put(Risk, rows["risk"])
        put(Milestone, rows["milestone"])
        put(StatusReport, rows["report"])
        put(TechnicalTask, rows["task"])
        put(PrivacyAssessment, rows["privacy"])
        db.session.commit()
        # Project pages to measure: open, running projects (lise sees restricted ones too).
        out.project_ids = [p["id"] for p in rows["project"]
                           if p["stage"] in ("planning", "execution") and not p["restricted"]][:25]
    out.seconds = time.perf_counter() - started
    return out


# --- measuring ---------------------------------------------------------------------------------
@dataclass
class Result:
    key: str
    label: str
    path: str
    as_user: str
    times_ms: list[float]
    queries: list[int]
    statuses: set[int]

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

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


def pages(app, filled: Filled) -> list[tuple[str, str, str, str, list[str]]]:
    """(key, label, user, header kind, paths) for every page that exists in this build."""
    views = app.view_functions
    out = []
    if "portfolio.overview" in views:
        out += [("portfolio", "Portefølje, ufiltrert", "lise", "", ["/portfolio"]),
                ("portfolio_filtered", "Portefølje, filtrert", "lise", "",
                 [f"/portfolio?stage=planning&unit={u}" for u in ("Teknisk", "Helse og omsorg", "Skole")]),
                ("portfolio_sorted", "Portefølje, sortert", "lise", "",
                 ["/portfolio?sort=priority&dir=desc", "/portfolio?sort=status&dir=desc",
                  "/portfolio?sort=title&page=3"])]
    if "projects.show_project" in views and filled.project_ids:
        out.append(("project", "Prosjektside", "lise", "", [f"/projects/{pid}" for pid in filled.project_ids]))
    if "ikt.queue" in views:
        out.append(("ikt", "IKT-køen", "per", "", ["/ikt", "/ikt?status=all&sort=project", "/ikt?page=2"]))
    if "privacy.queue" in views:
        out.append(("privacy", "Personvernkøen", "siri", "", ["/personvern", "/personvern?dpia=open"]))
    if "portfolio.export_csv" in views:
        out.append(("csv", "CSV-eksport", "lise", "", ["/portfolio/export.csv?stage=execution",
                                                        "/portfolio/export.csv"]))
    if "api.list_projects" in views:
        out.append(("feed", "Feed /api/v1/projects?per_page=100", "lise", "bearer",
                    ["/api/v1/projects?per_page=100", "/api/v1/projects?per_page=100&page=7"]))
    return out


def measure(app, filled: Filled, requests: int, warmup: int = 2, only: set[str] | None = None,
            slow_requests: int | None = None) -> list[Result]:
    """Send `requests` requests to each page (round-robin over its paths) and time them."""
    from sqlalchemy import event

    from app.extensions import db

    with app.app_context():
        engine = db.engine
    count = [0]

    def on_execute(*_args, **_kwargs):
        count[0] += 1

    clients, tokens = {}, {}
    results = []
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        for key, label, user, auth, paths in pages(app, filled):
            if only and key not in only:
                continue
            headers = {}
            if auth == "bearer":
                tokens.setdefault(user, api_token(app, user))
                client = app.test_client()
                headers = {"Authorization": f"Bearer {tokens[user]}"}
            else:
                if user not in clients:
                    clients[user] = app.test_client()
                    sign_in(app, clients[user], user)
                client = clients[user]
            n = slow_requests if (key == "csv" and slow_requests) else requests
            for i in range(warmup):
                client.get(paths[i % len(paths)], headers=headers).close()
            result = Result(key, label, paths[0], user, [], [], set())
            for i in range(n):
                path = paths[i % len(paths)]
                count[0] = 0
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                response.get_data()
                elapsed = (time.perf_counter() - started) * 1000
                result.times_ms.append(elapsed)
                result.queries.append(count[0])
                result.statuses.add(response.status_code)
                response.close()
            results.append(result)
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    return results


def query_counts(results: list[Result]) -> dict[str, tuple[int, int]]:
    """Endpoint → (fewest, most) statements per request."""
    return {r.key: (min(r.queries), max(r.queries)) for r in results}


def run(db_path: Path, projects: int, staff: int, requests: int, *, slow_requests: int | None = None,
        only: set[str] | None = None) -> tuple[Filled, list[Result]]:
    """Build the database at `db_path` afresh, fill it and measure it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    app = make_app(db_path)
    filled = fill(app, projects, staff)
    results = measure(app, filled, requests, only=only, slow_requests=slow_requests)
    with app.app_context():
        from app.extensions import db
        db.engine.dispose()
    return filled, results


# --- the report --------------------------------------------------------------------------------
def report(filled: Filled, results: list[Result], baseline: dict[str, tuple[int, int]] | None) -> bool:
    """Print the table and PASS/FAIL lines; True when every target holds."""
    rows = sum(filled.counts.values())
    print(f"\nFylte databasen på {filled.seconds:.1f} s: {rows:,} rader".replace(",", " "))
    for table, n in sorted(filled.counts.items()):
        print(f"  {table:<24}{n:>9,}".replace(",", " "))
    print(f"\n{'Side':<38}{'bruker':<8}{'antall':>7}{'median':>10}{'p95':>10}{'SQL':>9}")
    for r in results:
        low, high = min(r.queries), max(r.queries)
        sql = f"{low}" if low == high else f"{low}–{high}"
        flag = "" if r.ok else f"  (svarte {sorted(r.statuses)})"
        print(f"{r.label:<38}{r.as_user:<8}{len(r.times_ms):>7}{r.median:>8.1f}ms{r.p95:>8.1f}ms{sql:>9}{flag}")

    print()
    all_ok = True
    for r in results:
        if not r.ok:
            all_ok = False
            print(f"FAIL  {r.label}: svarte {sorted(r.statuses)}, ikke bare 200")
        if r.key in TARGETS_MS:
            limit = TARGETS_MS[r.key]
            passed = r.p95 < limit
            all_ok &= passed
            print(f"{'PASS' if passed else 'FAIL'}  {r.label}: p95 {r.p95:.1f} ms (mål under {limit:.0f} ms)")
        if baseline is not None and r.key in baseline:
            small, large = baseline[r.key], (min(r.queries), max(r.queries))
            passed = large[1] <= small[1]
            all_ok &= passed
            print(f"{'PASS' if passed else 'FAIL'}  {r.label}: {large[1]} SQL-spørringer med "
                  f"{filled.counts.get('project', 0)} prosjekter, {small[1]} med {BASELINE_PROJECTS} "
                  f"(skal ikke vokse med datamengden)")
    missing = [k for k in ("portfolio", "csv") if k not in {r.key for r in results}]
    if missing:
        print(f"(Ikke målt, siden finnes ikke ennå: {', '.join(missing)})")
    print("\nAlle mål nådd." if all_ok else "\nNoen mål ble ikke nådd.")
    return all_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mål Faseport med mange prosjekter (make bench).")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--staff", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=40, help="forespørsler per side")
    parser.add_argument("--csv-requests", type=int, default=6, help="forespørsler til CSV-eksporten")
    parser.add_argument("--db", type=Path, default=ROOT / "instance" / "bench.db")
    args = parser.parse_args(argv)

    target = args.db.resolve()
    if target.name == "faseport.db" or target == (ROOT / "instance" / "faseport.db").resolve():
        parser.error("bench-databasen kan ikke være demodatabasen")

    print(f"Grunnlinje: {BASELINE_PROJECTS} prosjekter, for å se at SQL-antallet ikke vokser …")
    small_path = target.with_name(target.stem + "-small" + target.suffix)
    _small, small_results = run(small_path, BASELINE_PROJECTS, BASELINE_STAFF, requests=3, slow_requests=2)
    print(f"Fyller {target} med {args.projects} prosjekter og {args.staff} ansatte …")
    filled, results = run(target, args.projects, args.staff, args.requests, slow_requests=args.csv_requests)
    return 0 if report(filled, results, query_counts(small_results)) else 1


if __name__ == "__main__":
    sys.exit(main())
