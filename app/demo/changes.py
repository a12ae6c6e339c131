"""Demo change requests for projects in execution and later: an approved change, a
rejected one and (while the project runs) one waiting for the owner.

`fill(users)` joins the caller's transaction and skips projects that already have changes.
"""
from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.models import Project
from app.models.base import utcnow
from app.models.change_request import ChangeRequest

CHANGES = [
    dict(title="Utsette pilot i sone nord med seks uker",
         description="Piloten i sone nord flyttes fra mars til midten av april.",
         reason="Leverandøren har ikke levert utstyret i tide, og opplæringen må skje før oppstart.",
         scope_effect="Ingen endring i omfang.", time_effect="Milepæl 3 flyttes seks uker. Sluttdatoen holder.",
         cost_effect=0, benefits_effect="Gevinstene i sone nord kommer seks uker senere.",
         status="approved", comment="Godkjent. Sluttdatoen må holde."),
    dict(title="Utvide med integrasjon mot sak/arkiv",
         description="Dokumentene arkiveres automatisk i sak/arkiv i stedet for å lastes opp for hånd.",
         reason="Arkivet bruker i dag rundt 20 timer i måneden på manuell arkivering.",
         scope_effect="Ny leveranse: integrasjon mot sak/arkiv.", time_effect="Fire uker ekstra for IKT.",
         cost_effect=180_000, benefits_effect="Sparer anslagsvis 240 timer i året i arkivet.",
         status="rejected", comment="Ikke rom i årets budsjett. Tas med som eget forslag til neste år."),
    dict(title="Kjøpe ekstra opplæringsdager fra leverandøren",
         description="To ekstra opplæringsdager for superbrukerne.",
         reason="Superbrukerne føler seg ikke trygge nok til å lære opp kollegene.",
         scope_effect="", time_effect="Ingen virkning på tid.", cost_effect=45_000,
         benefits_effect="Raskere innføring og færre feil de første ukene.", status="proposed", comment=""),
]


def fill(users: dict) -> int:
    projects = db.session.execute(
        db.select(Project).where(Project.stage.in_(("execution", "handover", "realisation", "completed")))
        .order_by(Project.id)).scalars().all()
    added = 0
    for project in projects:
        if project.manager is None or project.owner is None or db.session.execute(
                db.select(ChangeRequest.id).where(ChangeRequest.project_id == project.id)).first():
            continue
        for i, spec in enumerate(CHANGES):
            if spec["status"] == "proposed" and project.stage != "execution":
                continue
            proposed_at = utcnow() - timedelta(days=60 - 20 * i)
            decided = spec["status"] != "proposed"
            db.session.add(ChangeRequest(
                project_id=project.id, title=spec["title"], description=spec["description"],
                reason=spec["reason"], scope_effect=spec["scope_effect"], time_effect=spec["time_effect"],
                cost_effect=spec["cost_effect"], benefits_effect=spec["benefits_effect"],
                status=spec["status"], proposed_by=project.manager, proposed_at=proposed_at,
                updated_at=proposed_at,
                decided_by=project.owner if decided else None,
                decided_at=proposed_at + timedelta(days=3) if decided else None,
                decision_comment=spec["comment"]))
            added += 1
    db.session.flush()
    return added
