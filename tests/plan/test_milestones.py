"""The milestones tab: add, edit, mark as reached and delete milestones; overdue ones stand
out; the SVG timeline; what BP3 reads."""
from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from app.audit.describe import describe
from app.extensions import db
from app.gates.facts import facts_for
from app.models import Milestone, Project
from app.plan.editing import today
from app.plan.milestones.forms import next_number
from app.plan.milestones.timeline import MAX_LANES, build, state_of
from tests.gates.flow import make_project
from tests.plan.core_helpers import (ACTORS, EDITORS, browser, cast, event_count, events,  # noqa: F401
                                     field_errors, fresh, hidden, post, project)


def ms_url(p) -> str:
    return f"/projects/{getattr(p, 'id', p)}/milestones"


def add(project, number, description, due, done=None, responsible=None) -> Milestone:
    m = Milestone(project_id=project.id, number=number, description=description, due_date=due,
                  done_date=done, responsible=responsible)
    db.session.add(m)
    db.session.commit()
    return m


def numbers(project_id: int) -> list[str]:
    db.session.expire_all()
    return [m.number for m in db.session.scalars(
        db.select(Milestone).where(Milestone.project_id == project_id).order_by(Milestone.due_date))]


def new_data(**fields) -> dict:
    data = {"new_number": "M1", "new_description": "Når dagens arbeidsprosesser er kartlagt",
            "new_due_date": (today() + timedelta(days=30)).isoformat(), "new_done_date": "",
            "new_responsible_username": "kari"}
    data.update({f"new_{k}": v for k, v in fields.items()})
    return data


def edit_data(m: Milestone, **fields) -> dict:
    data = {"edit_number": m.number, "edit_description": m.description, "edit_due_date": m.due_date.isoformat(),
            "edit_done_date": m.done_date.isoformat() if m.done_date else "",
            "edit_responsible_username": m.responsible.username if m.responsible else "",
            "edit_version": str(m.version)}
    data.update({f"edit_{k}": v for k, v in fields.items()})
    return data


# --- create, edit, mark done, delete ------------------------------------------------------------
def test_add_a_milestone_and_it_is_audited(browser, project):
    r = post(browser("kari", htmx=True), ms_url(project), new_data(), page=ms_url(project))
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'id="milestones-body"' in html and "<html" not in html
    assert "Milepæl M1 er lagt til." in html and "Når dagens arbeidsprosesser er kartlagt" in html
    m = db.session.scalar(db.select(Milestone))
    assert m.responsible.username == "kari" and m.done_date is None
    [event] = events(project.id, "milestone.added")
    assert describe(event) == "Kari Nordmann la til milepæl M1 «Når dagens arbeidsprosesser er kartlagt»."
    # the form offers the next number
    assert hidden(html, "new_number") == "M2" if 'type="hidden" name="new_number"' in html else 'value="M2"' in html


def test_add_without_javascript_redirects(browser, project):
    r = post(browser("ola"), ms_url(project), new_data(), page=ms_url(project))
    assert r.status_code == 303 and "#milestone-" in r.headers["Location"]


def test_edit_a_milestone_in_its_row(browser, project, cast):
    m = add(project, "M1", "Når piloten er evaluert", today() + timedelta(days=10))
    client = browser("kari", htmx=True)
    form = client.get(f"{ms_url(project)}?edit={m.id}").get_data(as_text=True)
    assert 'name="edit_description"' in form and hidden(form, "edit_version") == "1"
    later = (today() + timedelta(days=40)).isoformat()
    r = post(client, f"{ms_url(project)}/{m.id}", edit_data(m, due_date=later, responsible_username="ida"),
             page=ms_url(project))
    assert r.status_code == 200
    m = fresh(Milestone, m.id)
    assert m.due_date.isoformat() == later and m.responsible.username == "ida" and m.version == 2
    [event] = events(project.id, "milestone.updated")
    assert event.data["fields"] == ["responsible_username", "due_date"]
    assert describe(event) == "Kari Nordmann endret milepæl M1 (ansvarlig, frist)."


def test_mark_as_reached_today(browser, project):
    m = add(project, "M1", "Når piloten er evaluert", today() - timedelta(days=3))
    r = post(browser("kari", htmx=True), f"{ms_url(project)}/{m.id}/done", {"version": "1"}, page=ms_url(project))
    assert r.status_code == 200 and "Milepæl M1 er markert som nådd." in r.get_data(as_text=True)
    assert fresh(Milestone, m.id).done_date == today()
    [event] = events(project.id, "milestone.done")
    assert describe(event) == "Kari Nordmann markerte milepæl M1 som nådd."


def test_delete_asks_first_and_is_audited(browser, project):
    m = add(project, "M4", "Når vurderingsteam er opprettet", today() + timedelta(days=5))
    client = browser("kari", htmx=True)
    page = browser("kari").get(ms_url(project)).get_data(as_text=True)
    assert 'hx-confirm="Vil du slette milepæl M4 «Når vurderingsteam er opprettet»?"' in page
    r = post(client, f"{ms_url(project)}/{m.id}/delete", {}, page=ms_url(project))
    assert r.status_code == 200
    assert numbers(project.id) == []
    [event] = events(project.id, "milestone.deleted")
    assert describe(event) == "Kari Nordmann slettet milepæl M4 «Når vurderingsteam er opprettet»."


def test_unknown_or_foreign_milestone_is_404(browser, project, cast):
    other = make_project(cast, title="Annet", stage="planning", manager="kari")
    foreign = add(other, "M1", "Annen milepæl", today())
    client = browser("kari")
    assert post(client, f"{ms_url(project)}/{foreign.id}/delete", {}, page=ms_url(project)).status_code == 404
    assert post(client, f"{ms_url(project)}/{foreign.id}", edit_data(foreign), page=ms_url(project)).status_code == 404
    assert post(client, f"{ms_url(project)}/999999/done", {"version": "1"}, page=ms_url(project)).status_code == 404
    assert numbers(other.id) == ["M1"]


# --- validation -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fields, message", [
    ({"number": ""}, "Skriv et nummer, for eksempel M3."),
    ({"number": "M123456789012"}, "Skriv høyst 10 tegn (nå 13)."),
    ({"description": ""}, "Beskriv milepælen."),
    ({"description": "x" * 501}, "Skriv høyst 500 tegn (nå 501)."),
    ({"due_date": ""}, "Fyll inn fristen."),
    ({"due_date": "neste fredag"}, "Skriv datoen som dd.mm.åååå, for eksempel 01.03.2025."),
    ({"done_date": (date.today() + timedelta(days=30)).isoformat()},
     "Datoen milepælen ble nådd, kan ikke være fram i tid."),
    ({"responsible_username": "ukjent"}, "Fant ikke «ukjent» i brukerkatalogen. Skriv navnet slik det står der, eller brukernavnet."),
])
def test_validation_in_norwegian_keeps_what_was_typed(browser, project, fields, message):
    data = new_data(**fields)
    r = post(browser("kari", htmx=True), ms_url(project), data, page=ms_url(project))
    assert r.status_code == 422
    assert message in field_errors(r)
    html = r.get_data(as_text=True)
    for name in ("new_description", "new_responsible_username"):
        if data[name] and len(data[name]) < 100:
            assert data[name] in html
    assert numbers(project.id) == []


def test_number_in_use_is_refused(browser, project):
    add(project, "M1", "Første", today())
    r = post(browser("kari", htmx=True), ms_url(project), new_data(number="m1"), page=ms_url(project))
    assert r.status_code == 422 and "Nummeret m1 er allerede brukt." in field_errors(r)
    assert numbers(project.id) == ["M1"]


def test_norwegian_date_format_is_accepted(browser, project):
    r = post(browser("kari", htmx=True), ms_url(project), new_data(due_date="15.09.2031"), page=ms_url(project))
    assert r.status_code == 200
    assert db.session.scalar(db.select(Milestone.due_date)) == date(2031, 9, 15)


def test_next_number_follows_the_highest_m_number():
    ms = [SimpleNamespace(number=n) for n in ("M1", "M2", "M7", "Slutt")]
    assert next_number(ms) == "M8"
    assert next_number([]) == "M1"


# --- concurrent edits -----------------------------------------------------------------------------
def test_second_save_of_the_same_version_is_refused_and_the_first_stays(browser, project):
    m = add(project, "M2", "Når prosessene er kartlagt", today() + timedelta(days=20))
    kari, ola = browser("kari", htmx=True), browser("ola", htmx=True)
    kari_form = kari.get(f"{ms_url(project)}?edit={m.id}").get_data(as_text=True)
    ola_form = ola.get(f"{ms_url(project)}?edit={m.id}").get_data(as_text=True)
    assert hidden(kari_form, "edit_version") == hidden(ola_form, "edit_version") == "1"
    kari_due = (today() + timedelta(days=50)).isoformat()
    assert post(kari, f"{ms_url(project)}/{m.id}", edit_data(m, due_date=kari_due), page=ms_url(project)).status_code == 200
    r = post(ola, f"{ms_url(project)}/{m.id}", edit_data(m, description="Olas beskrivelse av milepælen"),
             page=ms_url(project))
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "Noen andre har endret dette mens du skrev." in html and "Sist lagret av Kari Nordmann" in html
    assert "Frist – slik det er lagret nå:" in html          # shows what changed
    assert "Olas beskrivelse av milepælen" in html             # keeps what Ola typed
    assert hidden(html, "edit_version") == "2"
    assert fresh(Milestone, m.id).due_date.isoformat() == kari_due
    assert fresh(Milestone, m.id).description == "Når prosessene er kartlagt"


def test_mark_done_on_an_outdated_page_is_refused(browser, project):
    m = add(project, "M3", "Når teamet er etablert", today())
    assert post(browser("kari", htmx=True), f"{ms_url(project)}/{m.id}", edit_data(m, description="Endret"),
                page=ms_url(project)).status_code == 200
    r = post(browser("ola", htmx=True), f"{ms_url(project)}/{m.id}/done", {"version": "1"}, page=ms_url(project))
    assert r.status_code == 409
    assert fresh(Milestone, m.id).done_date is None


# --- overdue and the timeline -----------------------------------------------------------------------
def test_overdue_milestones_stand_out_in_words_not_only_colour(browser, project, cast):
    add(project, "M1", "Når kartleggingen er ferdig", today() - timedelta(days=12))
    add(project, "M2", "Når piloten er i gang", today() - timedelta(days=30), done=today() - timedelta(days=31))
    add(project, "M3", "Når piloten er evaluert", today() + timedelta(days=3), responsible=cast["kari"])
    add(project, "M4", "Når løsningen er rullet ut", today() + timedelta(days=90))
    html = browser("randi").get(ms_url(project)).get_data(as_text=True)
    rows = {n: re.search(rf'<tr id="milestone-\d+" class="milestone-row milestone-row--(\w+)">\s*'
                         rf'<th scope="row" class="milestone-row__no">{n}</th>', html) for n in ("M1", "M2", "M3", "M4")}
    assert {n: m.group(1) for n, m in rows.items()} == {"M1": "overdue", "M2": "done", "M3": "soon", "M4": "planned"}
    assert "12 dager over fristen" in html and "Forsinket" in html and "om 3 dager" in html
    assert "1 forsinket" in html and "4 milepæler" in html
    # readers see no buttons
    assert "Marker som nådd" not in html and ">Slett<" not in html and "Ny milepæl" not in html


def test_timeline_svg_has_a_text_alternative(browser, project):
    add(project, "M1", "Når kartleggingen er ferdig", today() - timedelta(days=12))
    add(project, "M2", "Når piloten er i gang", today() + timedelta(days=40))
    html = browser("randi").get(ms_url(project)).get_data(as_text=True)
    svg = re.search(r"<svg class=\"timeline-svg\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="timeline-title timeline-desc"' in svg
    assert "<title id=\"timeline-title\">" in svg and "2 milepæler fra" in svg and "1 forsinket" in svg
    assert svg.count('class="timeline-marker ') == 2 and "I dag" in svg
    assert "<caption" in html and 'scope="col"' in html  # the table is the text alternative
    assert "style=" not in svg  # strict CSP: no style attributes


def test_no_timeline_without_milestones(browser, project):
    html = browser("kari").get(ms_url(project)).get_data(as_text=True)
    assert "timeline-svg" not in html and "Ingen milepæler ennå." in html


def _m(i, due, done=None, number=None):
    return SimpleNamespace(id=i, number=number or f"M{i}", description=f"Milepæl {i}", due_date=due, done_date=done)


def test_timeline_places_markers_in_time_order_and_separates_crowded_labels():
    t = date(2026, 6, 15)
    ms = [_m(1, date(2026, 3, 1), date(2026, 3, 2)), _m(2, date(2026, 3, 3)), _m(3, date(2026, 3, 5)),
          _m(4, date(2026, 9, 1))]
    tl = build(ms, t, start=date(2026, 1, 1), end=date(2026, 12, 31))
    xs = [mk.x for mk in tl.markers]
    assert xs == sorted(xs)
    assert [mk.state for mk in tl.markers] == ["done", "overdue", "overdue", "planned"]
    # three labels within a few days of each other go to three lanes; the fourth reuses the first
    assert len({tl.markers[i].y for i in range(3)}) == 3 and tl.markers[3].y == tl.markers[0].y
    assert tl.start == date(2026, 1, 1) and tl.end == date(2027, 1, 1)
    assert tl.today_x is not None and tl.period is not None
    assert tl.ticks[0].label == "jan. 2026" and any(t.label == "apr." for t in tl.ticks)


def test_timeline_of_a_long_finished_project_is_not_stretched_to_today():
    tl = build([_m(1, date(2017, 5, 1), date(2017, 5, 1)), _m(2, date(2018, 12, 1), date(2018, 12, 1))],
               date(2026, 1, 1))
    assert tl.today_x is None and tl.end == date(2019, 1, 1)
    # 20 months: quarter ticks, the year written at each new year
    assert [t.label for t in tl.ticks] == ["mai 2017", "juli", "okt.", "jan. 2018", "apr.", "juli", "okt.",
                                           "jan. 2019"]


def test_timeline_limits_lanes_when_crowded():
    tl = build([_m(i, date(2026, 3, 1)) for i in range(1, 12)], date(2026, 3, 1))
    assert len({mk.y for mk in tl.markers}) == MAX_LANES


def test_state_of():
    t = date(2026, 5, 10)
    assert state_of(date(2026, 5, 9), None, t) == "overdue"
    assert state_of(date(2026, 5, 9), date(2026, 5, 9), t) == "done"
    assert state_of(date(2026, 5, 24), None, t) == "soon"
    assert state_of(date(2026, 5, 25), None, t) == "planned"
    assert state_of(date(2026, 5, 10), None, t) == "soon"


# --- permissions ----------------------------------------------------------------------------------
@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_may_keep_the_milestones(browser, project, actor):
    m = add(project, "M1", "Når piloten er evaluert", today() + timedelta(days=10))
    client = browser(ACTORS[actor])
    before = event_count(project.id)
    responses = [
        post(client, ms_url(project), new_data(number="M2"), page=ms_url(project)),
        post(client, f"{ms_url(project)}/{m.id}", edit_data(m, description="Endret"), page=ms_url(project)),
        post(client, f"{ms_url(project)}/{m.id}/done", {"version": "2" if actor in EDITORS else "1"}, page=ms_url(project)),
    ]
    if actor in EDITORS:
        assert [r.status_code for r in responses] == [303, 303, 303]
        assert numbers(project.id) == ["M1", "M2"] and fresh(Milestone, m.id).done_date == today()
        assert post(client, f"{ms_url(project)}/{m.id}/delete", {}, page=ms_url(project)).status_code == 303
    else:
        assert [r.status_code for r in responses] == [403, 403, 403]
        assert post(client, f"{ms_url(project)}/{m.id}/delete", {}, page=ms_url(project)).status_code == 403
        assert numbers(project.id) == ["M1"] and fresh(Milestone, m.id).description == "Når piloten er evaluert"
        assert event_count(project.id) == before
        # and the edit form is not offered either
        assert 'name="edit_description"' not in client.get(f"{ms_url(project)}?edit={m.id}").get_data(as_text=True)


def test_post_without_csrf_token_is_refused(browser, project):
    r = browser("kari").post(ms_url(project), data=new_data())
    assert r.status_code == 400
    assert numbers(project.id) == []


def test_completed_project_milestones_are_read_only(browser, cast):
    p = make_project(cast, stage="completed", manager="kari")
    add(p, "M1", "Når alt er levert", date(2024, 1, 1), done=date(2024, 1, 1))
    html = browser("kari").get(ms_url(p)).get_data(as_text=True)
    assert "Ny milepæl" not in html and ">Endre<" not in html
    assert post(browser("kari"), ms_url(p), new_data(number="M2"), page=ms_url(p)).status_code == 403


# --- gate facts ---------------------------------------------------------------------------------------
def test_milestones_feed_bp3(browser, project):
    assert facts_for(fresh(Project, project.id)).milestone_count == 0
    item = re.compile(r'<li class="checklist__item checklist__item--(\w+)" id="item-milestones_planned">(.*?)</li>', re.S)
    state, body = item.search(browser("kari").get(f"/projects/{project.id}/gates/BP3").get_data(as_text=True)).groups()
    assert state == "failed" and "Planen er brutt ned i milepæler" in body
    assert f'href="/projects/{project.id}/milestones">Rett dette' in body  # links to this tab
    post(browser("kari"), ms_url(project), new_data(), page=ms_url(project))
    assert facts_for(fresh(Project, project.id)).milestone_count == 1
    state, body = item.search(browser("kari").get(f"/projects/{project.id}/gates/BP3").get_data(as_text=True)).groups()
    assert state == "ok" and "Rett dette" not in body


def test_a_write_between_check_and_save_still_becomes_a_conflict(project):
    """The version check passed, but another request committed before our UPDATE ran: the
    versioned UPDATE matches no row, and save() turns that into StaleEdit (409), not a 500."""
    from app.plan.common import StaleEdit
    from app.plan.editing import save

    m = add(project, "M1", "Opprinnelig", today())
    db.session.expire_all()
    m = db.session.get(Milestone, m.id)
    assert m.version == 1
    with db.engine.begin() as other:  # the other request, committed meanwhile
        other.execute(db.update(Milestone).where(Milestone.id == m.id).values(description="Den andres", version=2))
    m.description = "Min"
    with pytest.raises(StaleEdit) as caught:
        save(m)
    assert caught.value.current.description == "Den andres" and caught.value.current.version == 2
    assert fresh(Milestone, m.id).description == "Den andres"
