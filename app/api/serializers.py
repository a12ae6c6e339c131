"""The JSON shape of a project, as promised to integrations (see README, "API")."""
from __future__ import annotations

from datetime import datetime, timezone

from app.models import GateRequest, Project


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, or None."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def gate_entry(req: GateRequest) -> dict:
    final = req.final_decision
    return {
        "gate": req.gate,
        "status": req.status,
        "requested_by": req.requested_by.username,
        "requested_at": iso(req.requested_at),
        "decision": final.decision if final else None,
        "decided_by": final.decided_by.username if final else None,
        "decided_at": iso(final.decided_at) if final else None,
        "comment": final.comment if final else None,
    }


def project_json(project: Project) -> dict:
    """`owner` is the proposed owner while the project is an idea."""
    return {
        "id": project.id,
        "title": project.title,
        "stage": project.stage,
        "owner": project.owner.username if project.owner else None,
        "manager": project.manager.username if project.manager else None,
        "submitted_by": project.submitted_by.username,
        "gates": [gate_entry(r) for r in sorted(project.gate_requests, key=lambda r: (r.requested_at, r.id))],
    }
