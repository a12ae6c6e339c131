"""Dates the reminders and calendars read from the gate history."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import GateDecision, GateRequest
from app.reminders.periods import oslo_today


def approved_on(gate: str, project_ids: Iterable[int] | None = None) -> dict[int, date]:
    """project id → the day (in Oslo) `gate` was approved, for projects that passed it.
    BP3 approved: execution starts; BP5 approved: handed over to the line."""
    query = (select(GateRequest.project_id, func.max(GateDecision.decided_at))
             .join(GateDecision, GateDecision.request_id == GateRequest.id)
             .where(GateRequest.gate == gate, GateDecision.decision == "approve")
             .group_by(GateRequest.project_id))
    if project_ids is not None:
        ids = list(project_ids)
        if not ids:
            return {}
        query = query.where(GateRequest.project_id.in_(ids))
    out = {}
    for project_id, decided_at in db.session.execute(query):
        if decided_at is not None:
            out[project_id] = oslo_today(decided_at)
    return out
