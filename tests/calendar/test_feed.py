"""Issue 13: a personal, revocable calendar address and one per project, read as Outlook
would read it: valid RFC 5545 (parsed by icalendar and checked again by vobject), stable
UIDs, and no restricted project for someone who may not see it."""
from __future__ import annotations

import re
from datetime import date, timedelta

import icalendar
import pytest
import vobject

from app.extensions import db as _db
from app.models import CalendarFeed, GateRequest, Milestone
from tests.gates.flow import BrowserClient, as_user, make_project  # noqa: F401 - as_user is a fixture
from tests.support.factories import post_form

URL_RE = re.compile(r'id="feed-url"[^>]*value="([^"]+)"')


@pytest.fixture()
def projects(users):
    running = make_project(users, title="Digital tilsynsrapport", stage="execution", owner="ola", manager="kari")
    hidden = make_project(users, title="Skjermet barnevern", stage="execution", owner="ola", manager="randi",
                          restricted=True)
    m1 = Milestone(project_id=running.id, number="M1", description="Når testmiljøet er klart",
                   responsible=users["kari"], due_date=date(2027, 3, 1))
    m2 = Milestone(project_id=running.id, number="M2", description="Når styringsdokumentet er godkjent",
                   gate="BP5", due_date=date(2027, 6, 1))
    # kari is responsible here but has no role in the restricted project: she may not see it.
    secret = Milestone(project_id=hidden.id, number="M1", description="Når tilgangene er avklart",
                       responsible=users["kari"], due_date=date(2027, 4, 1))
    _db.session.add_all([m1, m2, secret])
    _db.session.add(GateRequest(project_id=running.id, gate="BP4", status="postponed", requested_by=users["kari"],
                                postponed_until=date(2027, 5, 3)))
    _db.session.commit()
    return {"running": running, "hidden": hidden, "m1": m1, "m2": m2, "secret": secret}


def subscribe(client, action: str, page: str) -> str:
    response = post_form(client, action, page=page)
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    assert "Abonner fra nettet" in html and "webcal://" in html  # how to subscribe in Outlook and Apple
    return URL_RE.search(html).group(1)


def fetch(app, url: str) -> icalendar.Calendar:
    """What a calendar program gets: no cookie, only the address."""
    response = calendar_program(app).get("/" + url.split("/", 3)[3])
    assert response.status_code == 200, response.status
    assert response.mimetype == "text/calendar"
    raw = response.get_data()
    vobject.readOne(raw.decode())  # a second parser agrees it is a calendar
    return icalendar.Calendar.from_ical(raw)


def calendar_program(app):
    return BrowserClient(app, app.response_class, use_cookies=False)


def events(cal) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_personal_feed_follows_changes_and_hides_what_she_may_not_see(app, as_user, users, projects):
    kari = as_user("kari")
    url = subscribe(kari, "/calendar/feed", "/profile")
    [feed] = _db.session.scalars(_db.select(CalendarFeed)).all()
    assert url.endswith(".ics") and feed.token_hash not in url and url.split("/")[-1][:-4] not in feed.token_hash

    cal = fetch(app, url)
    assert str(cal["VERSION"]) == "2.0" and "Faseport" in str(cal["PRODID"])
    found = events(cal)
    uid = next(u for u in found if u.startswith(f"milestone-{projects['m1'].id}@"))
    assert found[uid].decoded("DTSTART") == date(2027, 3, 1)
    assert "M1 Når testmiljøet er klart – Digital tilsynsrapport" in str(found[uid]["SUMMARY"])
    assert any("BP5:" in str(e["SUMMARY"]) for e in found.values())  # a planned gate on her project
    assert not any("Skjermet" in str(e["SUMMARY"]) or "tilgangene" in str(e["SUMMARY"]) for e in found.values())
    assert all(e["DTSTAMP"] and e["DTEND"] for e in found.values())

    # kari moves M1: the same event moves (same UID), it is not duplicated.
    ms = f"/projects/{projects['running'].id}/milestones"
    m1 = projects["m1"]
    r = post_form(kari, f"{ms}/{m1.id}", {"edit_number": "M1", "edit_description": m1.description,
                                          "edit_responsible_username": "kari", "edit_due_date": "15.03.2027",
                                          "edit_done_date": "", "edit_gate": "", "edit_version": "1"}, page=ms)
    assert r.status_code in (302, 303), r.get_data(as_text=True)
    moved = events(fetch(app, url))
    assert set(moved) == set(found)
    assert moved[uid].decoded("DTSTART") == date(2027, 3, 15) and int(moved[uid]["SEQUENCE"]) > int(found[uid]["SEQUENCE"])

    # Revoked on the profile page: the address answers nothing any more.
    r = post_form(kari, f"/calendar/feeds/{feed.id}/revoke", page="/profile")
    assert r.status_code == 303
    assert calendar_program(app).get("/" + url.split("/", 3)[3]).status_code == 404


def test_owner_sees_decisions_and_postponed_dates_and_project_feeds_follow_access(app, as_user, users, projects):
    ola = as_user("ola")
    cal = fetch(app, subscribe(ola, "/calendar/feed", "/profile"))
    [postponed] = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("gate-request-")]
    assert "Utsatt beslutning: BP4 for «Digital tilsynsrapport»" == str(postponed["SUMMARY"])
    assert postponed.decoded("DTSTART") == date(2027, 5, 3)
    assert any("Skjermet barnevern" in str(e["SUMMARY"]) for e in cal.walk("VEVENT"))  # ola owns it

    hidden = projects["hidden"]
    # The project's own feed: for those who may see it; 404 (as the project) for others.
    assert post_form(as_user("per"), f"/calendar/projects/{hidden.id}/feed", page="/profile").status_code == 404
    url = subscribe(as_user("randi"), f"/calendar/projects/{hidden.id}/feed", f"/projects/{hidden.id}/milestones")
    only = fetch(app, url)
    assert {str(e["SUMMARY"]) for e in only.walk("VEVENT")} == {"M1 Når tilgangene er avklart – Skjermet barnevern"}
    assert str(only["X-WR-CALNAME"]) == "Faseport – Skjermet barnevern"
    assert calendar_program(app).get("/calendar/feeds/fc_00000000_" + "x" * 43 + ".ics").status_code == 404


def test_measurement_dates_repeat_by_the_schedule(app, as_user, users):
    from app.models import GateDecision
    from app.models.benefit import Benefit
    from app.models.base import utcnow

    project = make_project(users, title="Velferdsteknologi", stage="realisation", owner="ola", manager="kari")
    req = GateRequest(project_id=project.id, gate="BP5", status="approved", requested_by=users["kari"])
    _db.session.add(req)
    _db.session.flush()
    _db.session.add(GateDecision(request_id=req.id, decision="approve", decided_by=users["ola"],
                                 decided_at=utcnow() - timedelta(days=10)))
    _db.session.add(Benefit(project_id=project.id, description="Færre nattlige besøk", kind="quality",
                            indicator="Besøk per natt", owner=users["randi"], measure_every_months=3,
                            measure_for_years=3))
    _db.session.commit()
    cal = fetch(app, subscribe(as_user("randi"), "/calendar/feed", "/profile"))
    [event] = cal.walk("VEVENT")
    rule = event["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["INTERVAL"] == [3] and rule["UNTIL"]
    assert str(event["SUMMARY"]) == "Gevinstmåling: Besøk per natt – Velferdsteknologi"
