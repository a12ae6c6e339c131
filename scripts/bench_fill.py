"""`make bench`, part 1: a Faseport database at municipal scale, filled with bulk inserts.

Projects in every stage with roles, gate requests and decisions, plans with budgets,
milestones, benefits and measurements, risks, status reports, priority scores, technical
tasks and privacy assessments, and staff. Project n looks the same whatever the size of
the portfolio; the named cast (lise, per, siri, kari, ola …) holds roles only in the
first CAST_PROJECTS projects, so their own work does not grow with the portfolio.
"""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

#: bump when the data fill() makes changes, so that cached databases are built anew
FILL_VERSION = 3
#: the first projects, in which the cast holds its roles
CAST_PROJECTS = 12

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
def make_app(url: str):
    """A Faseport app on the database at `url` (brought up to date by the migrations)."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
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
    gate_project_ids: list[int] = field(default_factory=list)
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
    from app.models.portfolio_tally import rebuild_tally
    from app.models.sort_keys import STAGE_RANK, norwegian_key, refresh_all_project_keys

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
                              leader_username=None, roles_text=roles, created_at=NOW, name_key=norwegian_key(name)))
        rng = random.Random(seed)
        for n in range(staff):
            uid = len(CAST) + n + 1
            roles = "ikt" if n % 50 == 0 else ""
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            users.append(dict(id=uid, directory_id=f"bench-u{n}", username=f"ansatt{n:05}",
                              display_name=name, name_key=norwegian_key(name),
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
            # Anyone but the cast, whose own work stays the same at every size (below).
            person = lambda: r.randint(len(CAST) + 1, n_users)  # noqa: E731 - a random member of staff
            stage = _stage(r)
            order = ORDER[stage]
            owner, manager = person(), person()
            if manager == owner:
                manager = owner % n_users + 1
            if pid <= CAST_PROJECTS:  # the cast's own projects: ola owns, kari leads
                owner, manager = cast_ids["ola"], cast_ids["kari"]
            created = NOW - timedelta(days=r.randint(10, 1500))
            unit = r.choice(UNITS)
            title = f"{r.choice(WHAT)} – {unit.lower()} ({pid})"
            rows["project"].append(dict(
                id=pid, version=1, title=title, title_key=norwegian_key(title), unit_key=norwegian_key(unit),
                stage_rank=STAGE_RANK[stage], stage=stage,
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
                        version=1, project_id=pid, period_label=f"Periode {k + 1}",
                        period_key=f"periode {k + 1}", progress_status=lights[0],
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
                        assignee_id=r.randint(len(CAST) + 1, n_users) if r.random() < 0.2 else None,
                        created_by_id=manager,
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
        # Bulk inserts go around the ORM events that keep the stored sort keys: fill them,
        # once the planner knows how big the tables are (else PostgreSQL may plan the
        # correlated lookups as scans, one per project).
        db.session.connection().exec_driver_sql("ANALYZE")
        refresh_all_project_keys(db.session.connection())
        rebuild_tally(db.session.connection())  # the panels' stored counts, likewise
        db.session.commit()
        with db.engine.connect() as conn:  # the planner's statistics, as a DBA would keep them
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE")
        # Project pages to measure: open, running projects (lise sees restricted ones too).
        out.project_ids = [p["id"] for p in rows["project"]
                           if p["stage"] in ("planning", "execution") and not p["restricted"]][:25]
        out.gate_project_ids = [p["id"] for p in rows["project"]
                                if p["stage"] == "planning" and not p["restricted"]][:10]
    out.seconds = time.perf_counter() - started
    return out


