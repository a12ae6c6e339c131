"""Demo content for the portfolio: priority scores from portfolio management and two
programmes. Called from app/demo/extras.py after the plan tabs; adds and flushes only."""
from __future__ import annotations

from app.audit import record
from app.extensions import db
from app.models import Project
from app.models.portfolio import PriorityScore, Programme, ProgrammeProject

#: title → (strategic, quality, economic, operational/legal, risk, why); others are left
#: unscored, as a real portfolio always has ideas waiting for the next meeting
SCORES = {
    "Tillitsmodellen i hjemmetjenesten": (5, 5, 3, 4, 3, "Kjerne i helse- og omsorgsplanen; godt forankret hos tillitsvalgte."),
    "Velferdsteknologi: medisindispensere": (4, 4, 4, 3, 2, "Frigjør tid i hjemmetjenesten; utprøvd i nabokommunene."),
    "Ny elektronisk pasientjournal (EPJ) for helse og omsorg": (5, 4, 2, 5, 4, "Leverandørstøtten for dagens journal opphører. Stor og risikabel."),
    "Elektroniske selvbetjeningsskjemaer (Det døgnåpne rådhus)": (5, 3, 3, 2, 2, "Digitaliseringsstrategiens første tiltak."),
    "Digitalt førstevalg i servicetorget": (4, 3, 2, 1, 1, "Lav risiko; forutsetter at skjemaene er på plass."),
    "Digitalt tilsyn om natten i hjemmetjenesten": (4, 4, 3, 2, 3, "God gevinst, men krever DPIA og samtykkerutiner."),
    "Chatbot for spørsmål om eiendomsskatt": (2, 2, 2, 1, 2, "Sesongpreget behov; vurder felles løsning med KS."),
    "Felles digital plattform for foreldremøter": (3, 3, 2, 1, 2, ""),
}

#: programme name → (owner, description, titles of its projects)
PROGRAMMES = {
    "Velferdsteknologi i helse og omsorg": (
        "ola",
        "Samler prosjektene som tar i bruk velferdsteknologi i hjemmetjenesten og på sykehjemmene, "
        "slik at utstyr, opplæring, personvern og drift planlegges samlet.",
        ("Tillitsmodellen i hjemmetjenesten", "Velferdsteknologi: medisindispensere",
         "Digitalt tilsyn om natten i hjemmetjenesten"),
    ),
    "Det døgnåpne rådhus": (
        "randi",
        "Digitale tjenester for innbyggerne hele døgnet: skjemaer, veiledning og svar på de vanligste "
        "spørsmålene. Etter modell fra «Det Døgnåpne Østfold».",
        ("Elektroniske selvbetjeningsskjemaer (Det døgnåpne rådhus)", "Digitalt førstevalg i servicetorget",
         "Chatbot for spørsmål om eiendomsskatt"),
    ),
}


def fill(users: dict) -> None:
    """Add the scores and programmes to the demo projects that exist (titles not found are
    skipped, so the demo can change without breaking this)."""
    scorer = users.get("lise") or next(iter(users.values()))
    projects = {p.title: p for p in db.session.scalars(db.select(Project).where(Project.stage != "draft"))}
    for title, (s, q, e, o, r, why) in SCORES.items():
        project = projects.get(title)
        if project is None:
            continue
        score = PriorityScore(project_id=project.id, strategic_value=s, quality_benefit=q, economic_benefit=e,
                              operational_need=o, risk=r, comment=why, scored_by_id=scorer.id)
        db.session.add(score)
        db.session.flush()
        record("priority.scored", actor=scorer, obj=score, project_id=project.id, title=title,
               scores=score.scores(), before=None, priority=score.priority, comment=why)
    for name, (owner, description, titles) in PROGRAMMES.items():
        if owner not in users:
            continue
        programme = Programme(name=name, description=description, owner_id=users[owner].id,
                              created_by_id=scorer.id)
        db.session.add(programme)
        db.session.flush()
        record("programme.created", actor=scorer, obj=programme, name=name, owner=owner,
               owner_name=users[owner].display_name)
        for title in titles:
            project = projects.get(title)
            if project is not None:
                db.session.add(ProgrammeProject(programme_id=programme.id, project_id=project.id,
                                                added_by_id=scorer.id))
                record("programme.project_added", actor=scorer, obj=programme, project_id=project.id,
                       name=name, title=title)
    db.session.flush()
