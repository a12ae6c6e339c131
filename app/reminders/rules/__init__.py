"""The reminder rules, one module per kind. Each is `due(today, config)` yielding `Due`."""
from app.reminders.rules import benefits, gates, milestones, privacy, status

#: in the order a run sends them
RULES = (gates.due, status.due, milestones.due, benefits.due, privacy.due)
