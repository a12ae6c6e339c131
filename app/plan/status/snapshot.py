"""The snapshot a published status report freezes: the top risks and the milestones as
they stood."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import joinedload

from app.models import Milestone, Project
from app.models.base import utcnow
from app.models.risk import Risk
from app.plan.common import children_of
from app.plan.editing import today as oslo_today

#: the top risks frozen in a published report
SNAPSHOT_RISKS = 5


def take_snapshot(project: Project, today: date | None = None) -> dict:
    """The top risks (by score) and every milestone, as plain JSON that later edits of the
    project cannot reach."""
    today = today or oslo_today()
    return {"taken_at": utcnow().isoformat(), "risks": _risk_rows(project),
            "milestones": _milestone_rows(project, today)}


def _name(user) -> str:
    return user.display_name if user is not None else ""


def _risk_rows(project: Project) -> list[dict]:
    """The SNAPSHOT_RISKS open risks (not opportunities) with the highest score."""
    risks = children_of(project, Risk, Risk.score.desc(), Risk.id, options=[joinedload(Risk.responsible)])
    return [{
        "id": risk.id,
        "description": risk.description or "",
        "probability": risk.probability,
        "consequence": risk.consequence,
        "score": risk.score,
        "status": risk.status or "",
        "status_label": str(risk.status_label or ""),
        "strategy": risk.strategy or "",
        "strategy_label": str(risk.strategy_label or ""),
        "action": risk.action or "",
        "responsible": _name(risk.responsible),
    } for risk in risks if risk.kind == "risk" and risk.status == "open"][:SNAPSHOT_RISKS]


def _milestone_rows(project: Project, today: date) -> list[dict]:
    """Every milestone by due date (M2 before M10 on the same day)."""
    milestones = children_of(project, Milestone, options=[joinedload(Milestone.responsible)])
    rows = [{
        "id": m.id,
        "number": m.number or "",
        "description": m.description or "",
        "due_date": m.due_date.isoformat() if m.due_date else None,
        "done_date": m.done_date.isoformat() if m.done_date else None,
        "responsible": _name(m.responsible),
        "overdue": bool(m.done_date is None and m.due_date is not None and m.due_date < today),
    } for m in milestones]
    rows.sort(key=lambda r: (r["due_date"] or "9999", _natural(r["number"])))
    return rows


def _natural(text: str) -> tuple:
    """"M2" before "M10"."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or ""))
