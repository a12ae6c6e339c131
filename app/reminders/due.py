"""What a reminder rule yields: one reminder that is due, for one or more people."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Due:
    #: the notification kind (reminder_gate, reminder_status, …)
    kind: str
    #: the id of what it is about (gate request, project, milestone, benefit)
    subject_id: int
    #: which period of it; the reminder goes to each person once per period
    period: str
    #: who is reminded (None entries and duplicates are ignored)
    recipients: list
    project: object
    #: where the person acts (site-local path)
    url: str
    #: what the kind's template needs besides project and recipient
    context: dict = field(default_factory=dict)
