"""Demo content for the roles, plan and milestones tabs: every project from the concept
phase on gets its people, a plan written from its idea, and (from planning on) milestones
that stand where a project of that stage would stand. Deterministic, no randomness.

Called once from app.demo (inside its transaction): `fill_roles_plan_milestones(users)`.
"""
from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.models import Milestone, PlanGoal, Project, ProjectMember, ProjectPlan

#: how far a stage has come (terminal stages count by whether a manager was appointed)
_ORDER = {"idea": 1, "concept": 2, "planning": 3, "execution": 4, "handover": 5, "realisation": 6,
          "completed": 7}

#: people by unit: (gevinstansvarlig, fagansvarlig, endringsagenter, prosjektdeltakere)
_UNIT_PEOPLE = {
    "Helse og omsorg": ("marit", "bjorn", ("jonas", "ingrid"), ("ahmed", "ida")),
    "Oppvekst": ("anne", "ase", ("sofie", "emil"), ("emil",)),
    "Teknisk": ("tor", "eva", ("magnus",), ("eva", "magnus")),
    "Økonomi": ("geir", "geir", (), ("kristian",)),
    "Rådmannens stab": ("hans", "lise", ("thea",), ("hans", "nina")),
    "IKT": ("nils", "per", ("lars",), ("lars", "oddvar")),
}

#: the milestones of a typical municipal project, after Prosjektveiviseren
_MILESTONES = (
    "Når dagens arbeidsprosesser er kartlagt og forbedringspunktene prioritert",
    "Når løsningen er valgt og avtalen med leverandøren er inngått",
    "Når løsningen er satt opp og testet i testmiljøet",
    "Når piloten er gjennomført i én avdeling og evaluert",
    "Når alle berørte ansatte har fått opplæring",
    "Når løsningen er tatt i bruk i hele enheten",
    "Når sluttrapporten er skrevet og gevinstplanen er overlevert til linjen",
)

#: the Askøy plan (seed 001) for the project built on it
_TILLIT = dict(
    background=(
        "Kommunen har over flere år arbeidet med tiltak for å snu omsorgstrappen: færre ressurskrevende "
        "tiltak høyt oppe i trappen, mer forebygging lenger ned, og lavere utgifter. Prosjektet inngår i "
        "programmet «Aktiv og trygg omsorg – hele livet» og bygger på kommuneplanens samfunnsdel og "
        "temaplanen Morgendagens omsorg."),
    current_situation=(
        "Tildelingen følger en bestiller–utfører-modell med svært detaljerte vedtak. Utfordringer:\n"
        "– god brukermedvirkning\n– forventningsgap mellom bruker, pårørende og tjenestene\n"
        "– økende pågang fra flere eldre og flere yngre med sammensatte behov\n"
        "– mangelfulle verktøy og kriterier for utmåling"),
    zero_alternative=(
        "Uten prosjektet fortsetter tids- og vedtaksstyrte tjenester. Ventetid, klager og tidspress øker "
        "i takt med flere brukere, og forventningsgapet mellom brukere og tjenester består."),
    purpose=("Legge til rette for mer effektive, helhetlige og koordinerte tjenester, bedre samhandling "
             "mellom forvaltning og utførende tjenester, og systematisk brukermedvirkning."),
    effect=("Brukeren får koordinerte, fleksible og tilpassede tjenester – riktige tjenester til rett tid.",
            "Andelen brukere over 80 år som bor i egen bolig øker fra 78 % til 85 % innen 2028.",
            "Sykefraværet i hjemmetjenesten går ned fra 11 % til 8 % innen to år etter innføring."),
    result=("Tillitsmodellen for kommunen er definert og illustrert.",
            "Tillitsmodellen er prøvd ut i én sone i hjemmetjenesten, evaluert og tilpasset.",
            "Tillitsmodellen og ny praksis er innført i hele hjemmetjenesten, og alle ansatte har fått "
            "opplæring."),
    scope_limits=("Prosjektet omfatter hjemmetjenesten og tildelingskontoret. Bolig for utviklingshemmede "
                  "vurderes som egen pilot etter evalueringen."),
    interfaces=("Reorganisering forvaltning (fase 1), Helhetlig og optimalisert pasientflyt, "
                "Velferdsteknologi, Hverdagsrehabilitering og Digitalt førstevalg. Prosjektlederne "
                "koordinerer aktivitetene underveis."),
    user_involvement=("Brukere og pårørende medvirker i kartleggingen av brukerreisen. Hovedtillitsvalgt i "
                      "Fagforbundet og hovedverneombudet er med i prosjektgruppen; en referansegruppe med "
                      "brukerrepresentanter vurderes fortløpende."),
    financing="Innenfor rammen til Helse og omsorg. Det søkes om skjønnsmidler fra Statsforvalteren.",
    milestones=(
        "Når tillitsmodellen er definert og illustrert",
        "Når dagens hovedprosesser er identifisert og prioritert",
        "Når dagens praksis er kartlagt og forbedringspunktene prioritert",
        "Når vurderingsteam er opprettet og grunnlaget for ny praksis er lagt",
        "Når piloten er evaluert og vurderingsteamet utvidet",
        "Når nye samarbeidsformer og -arenaer er valgt og etablert",
        "Når verktøy for vurdering og utmåling er evaluert og tatt i bruk",
        "Når overføringen til linjen er sikret og sluttrapporten er skrevet",
    ),
)


def _reached(project: Project) -> int:
    if project.stage in _ORDER:
        return _ORDER[project.stage]
    return 3 if project.manager_id else 2  # rejected / withdrawn: as far as they got


def fill_roles_plan_milestones(users: dict, today: date | None = None) -> None:
    """Fill the three tabs of every demo project that has left the idea stage."""
    today = today or date.today()
    projects = db.session.execute(
        db.select(Project).where(Project.stage.notin_(("draft", "idea"))).order_by(Project.id)
    ).scalars().all()
    running = 0  # position among the running projects: decides who is behind, not the id
    for project in projects:
        if _reached(project) < 2:
            continue
        _roles(project, users)
        _plan(project, today)
        if _reached(project) >= 3 and project.stage in _ORDER:
            _milestones(project, users, today, running)
            running += _reached(project) == 4
    db.session.flush()


def _member(project: Project, users: dict, username: str, role: str) -> None:
    user = users.get(username)
    if user is None or (role == "benefits_owner" and user.id == project.manager_id):
        return
    if any(m.user_id == user.id and m.role == role for m in project.members):
        return
    project.members.append(ProjectMember(user=user, role=role))


def _roles(project: Project, users: dict) -> None:
    benefits, domain, agents, members = _UNIT_PEOPLE.get(project.unit, ("", "", (), ()))
    reached = _reached(project)
    # One concept project still lacks a gevinstansvarlig, so BP2's checklist has work to show.
    if not (project.stage == "concept" and project.id % 2 == 0):
        _member(project, users, benefits, "benefits_owner")
    if project.needs_ikt == "yes":
        _member(project, users, "per" if project.unit != "IKT" else "oddvar", "technical_lead")
    if reached >= 3:
        _member(project, users, domain, "domain_lead")
        _member(project, users, "mari", "communications")
        for name in members:
            _member(project, users, name, "member")
    if reached >= 4:
        for name in agents:
            _member(project, users, name, "change_agent")
        _member(project, users, "hans", "reference")


def _period(project: Project, today: date) -> tuple[date, date]:
    """The project period the plan states: planned ahead of execution, around today while
    running, behind today once handed over."""
    length = timedelta(days=420 + 30 * (project.id % 5))
    reached = _reached(project)
    if project.stage not in _ORDER:  # rejected or withdrawn: as planned back then
        start = project.created_at.date() + timedelta(days=60)
    elif reached <= 3:
        start = today + timedelta(days=30 + 7 * (project.id % 4))
    elif reached == 4:
        start = today - length * 0.55
    else:
        start = today - length - timedelta(days=60 * (reached - 4))
    return start, start + length


def _plan(project: Project, today: date) -> None:
    if db.session.scalar(db.select(ProjectPlan.id).where(ProjectPlan.project_id == project.id)):
        return
    start, end = _period(project, today)
    tillit = project.title.startswith("Tillitsmodellen")
    if tillit:
        texts = {k: v for k, v in _TILLIT.items() if k not in ("effect", "result", "milestones")}
    else:
        texts = dict(
            background=project.need,
            current_situation=(f"Berørte i dag: {project.affected}" if project.affected else ""),
            zero_alternative=(
                "Uten prosjektet fortsetter dagens arbeidsmåte. Problemene over vokser etter hvert som "
                "flere brukere kommer til, og gevinstene i gevinstrealiseringsplanen blir ikke tatt ut."),
            purpose=project.proposed_solution,
            scope_limits=(f"Prosjektet gjelder {project.unit.lower()}. Endringer i andre enheters "
                          "fagsystemer er ikke med."),
            interfaces="Kommunens digitaliseringsstrategi og IKT-avdelingens plan for integrasjoner.",
            user_involvement=("Brukere og ansatte som berøres, deltar i kartlegging og test. Tillitsvalgte "
                              "og verneombud orienteres før piloten."),
            financing=(f"Egen ramme i {project.unit}" + (
                ", og tilskudd fra Statsforvalterens skjønnsmidler (300 000 kr)." if project.id % 3 == 0 else ".")),
        )
        # One concept project has not described its zero alternative yet (BP2 shows the gap).
        if project.stage == "concept" and project.id % 2 == 1:
            texts["zero_alternative"] = ""
    db.session.add(ProjectPlan(
        project_id=project.id, **texts, archive_ref=f"{start.year}/{1000 + project.id * 37}",
        budget_nok=None if project.stage == "concept" else 250_000 * (2 + project.id % 9),
        start_date=start, end_date=end))
    effect = _TILLIT["effect"] if tillit else (
        project.expected_benefits or "Bedre tjenester for innbyggerne.",
        f"Brukertilfredsheten i {project.unit.lower()} øker med 10 prosentpoeng innen ett år etter innføring.")
    result = _TILLIT["result"] if tillit else (
        f"Løsningen er tatt i bruk i hele {project.unit.lower()} innen {end.strftime('%d.%m.%Y')}.",
        "Alle berørte ansatte har fått opplæring før løsningen tas i bruk.")
    for kind, texts_ in (("effect", effect), ("result", result)):
        for i, text in enumerate(t for t in texts_ if t):
            db.session.add(PlanGoal(project_id=project.id, kind=kind, position=i + 1, text=text))


def _milestones(project: Project, users: dict, today: date, running: int = 0) -> None:
    if db.session.scalar(db.select(Milestone.id).where(Milestone.project_id == project.id)):
        return
    start, end = _period(project, today)
    descriptions = _TILLIT["milestones"] if project.title.startswith("Tillitsmodellen") else _MILESTONES
    n = len(descriptions)
    reached = _reached(project)
    step = (end - start) / n
    dues = [start + step * (i + 1) for i in range(n)]
    past = [i for i, due in enumerate(dues) if due < today]
    # In two of three running projects the latest milestone due is not reached yet: late.
    late = past[-1] if (reached == 4 and past and running % 3 != 0) else None
    responsible = [project.manager, project.owner]
    for i, (text, due) in enumerate(zip(descriptions, dues)):
        done = None
        if due < today and i != late and (reached >= 4 or i == 0):
            done = min(due + timedelta(days=(i * 5) % 11 - 4), today)
        # The generic plan asks for BP3 once the solution is chosen, and for BP5 at the end.
        gate = None if descriptions is not _MILESTONES else {1: "BP3", n - 1: "BP5"}.get(i)
        db.session.add(Milestone(project_id=project.id, number=f"M{i + 1}", description=text, gate=gate,
                                 due_date=due, done_date=done, responsible=responsible[i % 2] or project.owner))
