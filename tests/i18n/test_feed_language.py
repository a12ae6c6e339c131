"""Issue 15: a calendar address is read in the language of the person it belongs to —
a calendar program's own Accept-Language does not decide."""
from __future__ import annotations

from datetime import date

import icalendar

from app.calendar.feeds import create_feed
from app.extensions import db as _db
from app.models import GateRequest
from tests.gates.flow import BrowserClient, make_project
from tests.i18n.support import translated

TITLE = "Digital tilsynsrapport"


def test_the_calendar_of_a_person_who_chose_nynorsk_is_in_nynorsk(app, users):
    project = make_project(users, title=TITLE, stage="execution", owner="ola", manager="kari")
    _db.session.add(GateRequest(project_id=project.id, gate="BP4", status="postponed", requested_by=users["kari"],
                                postponed_until=date(2027, 5, 3)))
    users["ola"].locale = "nn"
    _feed, token = create_feed(users["ola"])
    _db.session.commit()

    program = BrowserClient(app, app.response_class, use_cookies=False)
    response = program.get(f"/calendar/feeds/{token}.ics", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    [event] = icalendar.Calendar.from_ical(response.get_data()).walk("VEVENT")
    assert str(event["summary"]) == translated("nn", "Utsatt beslutning: %(g)s for «%(p)s»", g="BP4", p=TITLE)
