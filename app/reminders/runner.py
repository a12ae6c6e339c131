"""One run of `flask reminders send`: every rule, each reminder once.

Each reminder is its own short transaction: the once-only key (app.reminders.keys), the
notification and its e-mail commit together or not at all. A second run, or a second
server running at the same moment, finds the key taken and sends nothing; a run that
dies half-way has sent exactly what it committed, and the next run sends the rest.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from flask import current_app

from app.extensions import db
from app.models.base import utcnow
from app.notifications.messages import tell
from app.reminders.keys import claim, taken
from app.reminders.periods import oslo_today
from app.reminders.rules import RULES


def send_reminders(now: datetime | None = None) -> Counter:
    """Send every reminder that is due at `now` and has not been sent; returns how many
    went out per kind. Runs inside an app context; commits per reminder."""
    now = now or utcnow()
    today = oslo_today(now)
    sent: Counter = Counter()
    for rule in RULES:
        dues = list(rule(today, current_app.config))
        db.session.rollback()  # end the read transaction before the writes
        if not dues:
            continue
        done = taken(dues[0].kind, [d.subject_id for d in dues])
        for due in dues:
            for person in _unique(due.recipients):
                if (due.subject_id, due.period[:40], person.id) in done:
                    continue
                if not claim(due.kind, due.subject_id, due.period, person.id):
                    db.session.rollback()  # another run sent it a moment ago
                    continue
                told = tell(due.kind, [person], url=due.url, project=due.project, **due.context)
                if told:
                    db.session.commit()
                    sent[due.kind] += 1
                else:
                    # Not for this person (left, or may not see the project): keep no key,
                    # so that it is weighed again if that changes.
                    db.session.rollback()
    return sent


def _unique(people):
    seen = set()
    for person in people:
        if person is not None and person.id not in seen:
            seen.add(person.id)
            yield person
