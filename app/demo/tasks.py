"""Demo technical tasks and privacy assessments.

Projects from planning onwards that need IKT get a handful of tasks in believable states;
projects that process (or may process) personal data get the personvernombud's
assessment. `fill(users)` joins the caller's transaction and skips what is there already.
"""
from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.models import Project
from app.models.task import PrivacyAssessment, TechnicalTask

TASKS = [
    ("Tilgang til fagsystemet for prosjektgruppen", "access", "Brukere og roller for de åtte i prosjektgruppen.", -20),
    ("Testmiljø med anonymiserte data", "test_env", "Et testmiljø som speiler produksjon, uten ekte personopplysninger.", 10),
    ("Integrasjon mot folkeregisteret", "integration", "Oppslag mot Folkeregisteret via KS FIKS.", 40),
    ("ROS-analyse for løsningen", "infosec", "Risiko- og sårbarhetsanalyse sammen med informasjonssikkerhetsansvarlig.", 25),
    ("Driftsavtale med leverandøren", "operations", "Avtale om drift, oppetid og support før produksjon.", 60),
]
#: what a restricted project asks of IKT before planning: IKT sees it in its queue as
#: "Skjermet prosjekt", without the project (issue 8)
RESTRICTED_TASK = ("Skjermet område med egen tilgangsstyring", "access",
                   "Et eget område der bare de som behandler sakene, har tilgang.", 14)
#: how far each stage has come with the tasks above (status per task)
PROGRESS = {
    "planning": ("done", "in_progress", "open", "in_progress", "open"),
    "execution": ("done", "done", "in_progress", "done", "open"),
    "handover": ("done", "done", "done", "done", "done"),
}
#: DPIA per stage, with the personvernombud's comment
DPIA = {
    "concept": ("pakrevd", "Løsningen behandler helseopplysninger. DPIA må gjennomføres før BP3."),
    "planning": ("under_arbeid", "DPIA er i gang sammen med prosjektleder. Behandlingsgrunnlaget er avklart."),
    "execution": ("ferdig", "DPIA er ferdig og arkivert. Restrisikoen er akseptert av prosjekteier."),
    "handover": ("ferdig", "DPIA er ferdig. Husk å oppdatere protokollen over behandlingsaktiviteter."),
    "realisation": ("ferdig", "DPIA er ferdig."),
    "completed": ("ferdig", "DPIA er ferdig."),
}


def fill(users: dict) -> int:
    ikt = [u for u in (users.get("per"), users.get("thea"), users.get("nils")) if u is not None]
    personvern = users.get("siri")
    added = 0
    projects = db.session.execute(db.select(Project).where(Project.stage != "draft").order_by(Project.id)).scalars()
    today = date.today()
    for project in projects:
        creator = project.manager or project.owner
        if (project.stage in PROGRESS and project.needs_ikt == "yes" and creator is not None
                and not db.session.execute(db.select(TechnicalTask.id).where(
                    TechnicalTask.project_id == project.id)).first()):
            for i, ((title, kind, description, due), status) in enumerate(zip(TASKS, PROGRESS[project.stage])):
                db.session.add(TechnicalTask(
                    project_id=project.id, title=title, kind=kind, description=description,
                    due_date=today + timedelta(days=due), status=status, created_by=creator,
                    assignee=ikt[i % len(ikt)] if ikt and status != "open" else None))
                added += 1
        elif (project.restricted and project.stage == "concept" and project.needs_ikt == "yes"
              and creator is not None and not db.session.execute(db.select(TechnicalTask.id).where(
                  TechnicalTask.project_id == project.id)).first()):
            title, kind, description, due = RESTRICTED_TASK
            db.session.add(TechnicalTask(project_id=project.id, title=title, kind=kind, description=description,
                                         due_date=today + timedelta(days=due), status="open", created_by=creator))
            added += 1
        if (project.stage in DPIA and project.personal_data in ("yes", "unknown") and personvern is not None
                and not db.session.execute(db.select(PrivacyAssessment.id).where(
                    PrivacyAssessment.project_id == project.id)).first()):
            status, comment = DPIA[project.stage]
            db.session.add(PrivacyAssessment(project_id=project.id, dpia_status=status, comment=comment,
                                             updated_by=personvern))
            added += 1
    db.session.flush()
    return added
