"""Demo content for the benefits, risks and stakeholders tabs: every project from the concept
phase on gets benefits (measurable from planning on, measured from execution on, reviewed
and acknowledged where its stage needs it), risks and an ITPOSMO assessment, stakeholders
and a communication plan. Deterministic, no randomness.

Called once from app.demo after the roles are filled (it reads the gevinstansvarlige):
`fill_benefits_risks_stakeholders(users)`.
"""
from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.models import Project
from app.models.benefit import (Benefit, BenefitMeasurement, BenefitsAgreementAck, BenefitsPlan,
                                BenefitsReview)
from app.models.risk import ItposmoAssessment, Risk
from app.models.stakeholder import CommunicationActivity, Stakeholder

_ORDER = {"concept": 2, "planning": 3, "execution": 4, "handover": 5, "realisation": 6, "completed": 7}

#: benefits per unit: (description, kind, indicator, unit, baseline, target, measures)
_BENEFITS = {
    "Helse og omsorg": [
        ("Mindre tid brukt på dokumentasjon i tjenesten", "quality", "Timer brukt på dokumentasjon per måned",
         "timer", 420, 260, "Nye rutiner for dokumentasjon ved besøk. Opplæring av alle ansatte."),
        ("Færre avvik i legemiddelhåndteringen", "citizens", "Meldte avvik per kvartal", "avvik", 38, 15,
         "Avvik gjennomgås i personalmøtet hver måned."),
        ("Lavere utgifter til papir, utskrift og kjøring", "economic", "Utgifter per år", "kr", 460000, 180000,
         "Papirlister fases ut; kjøreruter planlegges i systemet."),
    ],
    "Oppvekst": [
        ("Raskere svar til foreldre", "citizens", "Dager fra søknad til svar", "dager", 21, 5,
         "Saksbehandlerne følger den nye rutinen for hurtigsvar."),
        ("Mindre manuell registrering i skolene", "quality", "Timer per uke i merkantile stillinger", "timer",
         30, 12, "Skjemaene på papir fjernes fra nettsiden."),
    ],
    "Teknisk": [
        ("Kortere saksbehandlingstid for byggesaker", "citizens", "Dager fra komplett søknad til vedtak",
         "dager", 48, 21, "Sjekklister i saksbehandlingen; færre rundturer med søker."),
        ("Færre mangelfulle søknader", "quality", "Andel søknader som må suppleres", "%", 62, 25,
         "Veiledningen på nettsiden skrives om."),
    ],
    "Økonomi": [
        ("Lavere kostnad per faktura", "economic", "Kostnad per behandlet faktura", "kr", 95, 35,
         "Leverandørene får beskjed om å sende EHF."),
        ("Færre purringer", "others", "Purringer fra leverandører per måned", "purringer", 120, 30,
         "Attestanter får varsel på e-post."),
    ],
    "Rådmannens stab": [
        ("Flere innbyggere får svar digitalt", "citizens", "Andel henvendelser besvart digitalt", "%", 35, 80,
         "Servicetorget viser innbyggerne de digitale tjenestene."),
        ("Mindre porto og utskrift", "economic", "Portoutgifter per år", "kr", 1200000, 450000,
         "Utsendelser går via digital postkasse."),
    ],
    "IKT": [
        ("Færre henvendelser til brukerstøtte", "quality", "Henvendelser per måned", "henvendelser", 900, 500,
         "Selvhjelpssider og superbrukere i hver enhet."),
    ],
}

#: risks every project recognises: (kind, description, p, c, strategy, action, p_after, c_after)
_RISKS = [
    ("risk", "Leverandøren leverer integrasjonen mot fagsystemet for sent", 4, 4, "reduce",
     "Ukentlig oppfølging av leverandøren; krav om testversjon før pilot.", 2, 4),
    ("risk", "Ansatte har for lite tid til opplæring", 4, 3, "reduce",
     "Opplæring i arbeidstiden og superbrukere i hver avdeling.", 2, 3),
    ("risk", "Personopplysninger kommer på avveie", 2, 5, "avoid",
     "Tilgangsstyring, logging og DPIA før oppstart.", 1, 5),
    ("risk", "Nøkkelperson slutter i prosjektperioden", 2, 4, "transfer",
     "To personer kjenner hver oppgave; dokumentasjon underveis.", None, None),
    ("risk", "Tillitsvalgte er skeptiske til endringene", 3, 2, "monitor", "Faste drøftingsmøter.", None, None),
    ("opportunity", "Nabokommunen vil dele opplæringsmateriell", 3, 3, "exploit",
     "Avtale om felles opplæring.", None, None),
]

_STAKEHOLDERS = [
    ("Ansatte i enheten", 3, 2, "Bekymret for tid til opplæring. Involveres gjennom superbrukere."),
    ("Tillitsvalgte", 3, 3, "Faste drøftingsmøter."),
    ("Innbyggere og brukere", 2, 1, "Trenger informasjon før endringen merkes."),
    ("IKT-avdelingen", 2, 3, "Drift, tilganger og integrasjoner."),
    ("Kommunestyret", 1, 3, "Orienteres gjennom rådmannen."),
]

#: (what, audience index in _STAKEHOLDERS, channel, days after the plan starts)
_ACTIVITIES = [
    ("Informasjonsmøte om prosjektet", 0, "meeting", 20),
    ("Drøftingsmøte med tillitsvalgte", 1, "meeting", 35),
    ("Sak på intranett: slik blir hverdagen", 0, "intranet", 60),
    ("Nyhetssak på kommunens nettside", 2, "website", 120),
    ("Orientering i formannskapet", 4, "meeting", 200),
]


def _reached(project: Project) -> int:
    return _ORDER.get(project.stage, 0)


def fill_benefits_risks_stakeholders(users: dict, today: date | None = None) -> None:
    """Fill the three tabs of every demo project from the concept phase on."""
    today = today or date.today()
    projects = db.session.execute(
        db.select(Project).where(Project.stage.in_(tuple(_ORDER))).order_by(Project.id)).scalars().all()
    for project in projects:
        if db.session.scalar(db.select(Benefit.id).where(Benefit.project_id == project.id).limit(1)):
            continue  # already filled
        _benefits(project, users, today)
        if _reached(project) >= 3:
            _risks(project, users)
            _stakeholders(project, users, today)
    db.session.flush()


def _benefits(project: Project, users: dict, today: date) -> None:
    reached = _reached(project)
    catalogue = _BENEFITS.get(project.unit, _BENEFITS["Rådmannens stab"])
    owners = project.members_with("benefits_owner")
    owner = owners[0] if owners else project.owner
    # The line measures a year and a half: the baseline lies further back the further the
    # project has come, so that measurements land in the past.
    start = today - timedelta(days={2: 0, 3: 30, 4: 240, 5: 420, 6: 540, 7: 760}[reached])
    due = start + timedelta(days=540)
    benefits = []
    chosen = catalogue[: 2 if reached == 2 else 3]
    for i, (text, kind, indicator, unit, base, target, measures) in enumerate(chosen):
        measurable = reached >= 3 or i == 0
        b = Benefit(project_id=project.id, description=text, kind=kind, owner=owner, measures=measures,
                    indicator=indicator if measurable else "", unit=unit,
                    baseline=float(base) if measurable else None, target=float(target) if measurable else None,
                    baseline_measured_on=start if measurable else None, due_on=due if measurable else None,
                    # Measured every quarter for three years after the handover to the line.
                    measure_every_months=3 if measurable else None, measure_for_years=3 if measurable else None)
        db.session.add(b)
        benefits.append(b)
        if reached >= 4 and measurable:
            _measure(b, users, start, due, today, reached, i)
    version = len(benefits) + (1 if reached >= 4 else 0)  # one later edit once under way
    db.session.add(BenefitsPlan(project_id=project.id, plan_version=version))
    if reached >= 5 and project.owner is not None:
        db.session.add(BenefitsReview(project_id=project.id, plan_version=version, reviewed_by=project.owner))
    if reached >= 5:
        parties = [*owners, *([project.owner] if project.owner else [])]
        seen = set()
        for n, person in enumerate(parties):
            if person.id in seen:
                continue
            seen.add(person.id)
            # In handover one party has still to acknowledge, so BP5 has work to show.
            if reached == 5 and n == 0 and len(parties) > 1:
                continue
            db.session.add(BenefitsAgreementAck(project_id=project.id, user_id=person.id, plan_version=version))


def _measure(b: Benefit, users: dict, start: date, due: date, today: date, reached: int, i: int) -> None:
    """Measurements every quarter until today; the second benefit lags once, with a reason."""
    recorder = b.owner or users.get("kari")
    on = start + timedelta(days=90)
    step = 0
    while on <= min(today, due):
        share = min(1.0, (on - start).days / (due - start).days)
        progress = share * (0.8 if i == 0 else 1.05)
        comment = ""
        if i == 1 and step == 1:
            progress = share * 0.3
            comment = "Innføringen i to avdelinger ble utsatt til etter sommeren."
        value = b.baseline + (b.target - b.baseline) * progress
        value = round(value) if abs(value) >= 100 else round(value, 1)
        db.session.add(BenefitMeasurement(benefit=b, measured_on=on, value=value, comment=comment,
                                          recorded_by=recorder))
        on += timedelta(days=91)
        step += 1


def _risks(project: Project, users: dict) -> None:
    reached = _reached(project)
    responsible = [project.manager, users.get("per"), project.owner]
    for n, (kind, text, p, c, strategy, action, pa, ca) in enumerate(_RISKS):
        if project.personal_data == "no" and "Personopplysninger" in text:
            continue
        # Later in the project, the action has worked on the first risk.
        status = "closed" if reached >= 6 and n == 0 else "open"
        db.session.add(Risk(project_id=project.id, kind=kind, description=text, probability=p, consequence=c,
                            strategy=strategy, action=action, responsible=responsible[n % 3], status=status,
                            probability_after=pa, consequence_after=ca))
    db.session.add(ItposmoAssessment(
        project_id=project.id, updated_by=project.manager or project.owner,
        information=5 + project.id % 3,
        information_comment="Informasjon som i dag ligger på papir må struktureres.",
        technology=4 + project.id % 5, technology_comment="Ny løsning og nye integrasjoner.",
        processes=6, processes_comment="Arbeidsprosessene endres for de fleste ansatte.",
        objectives=2, objectives_comment="Målene er godt forankret i ledelsen.",
        staffing=4, staffing_comment="Kompetansen varierer mellom avdelingene.",
        management=3, management_comment="",
        resources=3 + project.id % 3, resources_comment="Midler er avsatt i budsjettet."))


def _stakeholders(project: Project, users: dict, today: date) -> None:
    reached = _reached(project)
    made = []
    for name, interest, influence, notes in _STAKEHOLDERS:
        s = Stakeholder(project_id=project.id, name=name, interest=interest, influence=influence, notes=notes)
        db.session.add(s)
        made.append(s)
    comms = project.members_with("communications")
    responsible = comms[0] if comms else project.manager
    start = today - timedelta(days={3: -30, 4: 150, 5: 330, 6: 450, 7: 700}[reached])
    for what, who, channel, offset in _ACTIVITIES:
        on = start + timedelta(days=offset)
        status = "done" if on < today else "planned"
        db.session.add(CommunicationActivity(project_id=project.id, what=what, audience=made[who].name,
                                             stakeholder=made[who], channel=channel, planned_on=on,
                                             responsible=responsible, status=status))
