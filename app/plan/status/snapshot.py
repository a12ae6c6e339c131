"""The snapshot a published status report freezes: the top risks and the milestones as
they stood."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Project
from app.models.base import utcnow
from app.plan.editing import today as oslo_today

#: the top risks frozen in a published report
SNAPSHOT_RISKS = 5


def take_snapshot(project: Project, today: date | None = None) -> dict:
    """The top risks (by score) and every milestone, as plain JSON that later edits of the
    project cannot reach. Tabs not built yet (no model) give empty lists."""
    today = today or oslo_today()
    return {"taken_at": utcnow().isoformat(), "risks": _risk_rows(project),
            "milestones": _milestone_rows(project, today)}


def _risk_model():
    try:
        from app.models.risk import Risk
    except ImportError:  # the risk tab is not built yet
        return None
    return Risk


def _milestone_model():
    try:
        from app.models.plan import Milestone
    except ImportError:  # the milestones tab is not built yet
        return None
    return Milestone


def _name(user) -> str:
    return user.display_name if user is not None else ""


def _label(value) -> str:
    return str(value) if value is not None else ""


def _risk_rows(project: Project) -> list[dict]:
    """The SNAPSHOT_RISKS open risks (not opportunities) with the highest score."""
    Risk = _risk_model()
    if Risk is None:
        return []
    query = select(Risk).where(Risk.project_id == project.id)
    if hasattr(Risk, "responsible"):
        query = query.options(joinedload(Risk.responsible))
    rows = []
    for risk in db.session.execute(query).scalars():
        if getattr(risk, "kind", "risk") not in (None, "", "risk"):
            continue  # opportunities are not part of "the top risks"
        if _is_closed(risk):
            continue
        score = _score(risk)
        rows.append({
            "id": risk.id,
            "description": getattr(risk, "description", "") or "",
            "probability": getattr(risk, "probability", None),
            "consequence": getattr(risk, "consequence", None),
            "score": score,
            "status": _label(getattr(risk, "status", "")),
            "status_label": _display(risk, "status"),
            "strategy": _label(getattr(risk, "strategy", "")),
            "strategy_label": _display(risk, "strategy"),
            "action": getattr(risk, "action", "") or "",
            "responsible": _name(getattr(risk, "responsible", None)),
        })
    rows.sort(key=lambda r: (-(r["score"] or 0), r["id"]))
    return rows[:SNAPSHOT_RISKS]


def _score(risk) -> int | None:
    score = getattr(risk, "score", None)
    if callable(score):
        score = score()
    if score is None:
        p, c = getattr(risk, "probability", None), getattr(risk, "consequence", None)
        score = p * c if p and c else None
    return score


def _is_closed(risk) -> bool:
    status = str(getattr(risk, "status", "") or "").lower()
    return status in {"closed", "lukket", "done", "avsluttet"}


def _display(obj, name: str) -> str:
    """A coded value's Norwegian label when the model offers one (`<name>_label`)."""
    label = getattr(obj, f"{name}_label", None)
    if callable(label):
        label = label()
    return str(label) if label else _label(getattr(obj, name, ""))


def _milestone_rows(project: Project, today: date) -> list[dict]:
    Milestone = _milestone_model()
    if Milestone is None:
        return []
    query = select(Milestone).where(Milestone.project_id == project.id)
    if hasattr(Milestone, "responsible"):
        query = query.options(joinedload(Milestone.responsible))
    rows = []
    for m in db.session.execute(query).scalars():
        due, done = getattr(m, "due_date", None), getattr(m, "done_date", None)
        rows.append({
            "id": m.id,
            "number": _label(getattr(m, "number", "")),
            "description": getattr(m, "description", "") or "",
            "due_date": due.isoformat() if due else None,
            "done_date": done.isoformat() if done else None,
            "responsible": _name(getattr(m, "responsible", None)),
            "overdue": bool(done is None and due is not None and due < today),
        })
    rows.sort(key=lambda r: (r["due_date"] or "9999", _natural(r["number"])))
    return rows


def _natural(text: str) -> tuple:
    """"M2" before "M10"."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or ""))
