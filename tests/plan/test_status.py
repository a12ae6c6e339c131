"""The status tab: writing, publishing and freezing status reports, as people use it."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import render_template
from sqlalchemy import event

from app.extensions import db as _db
from app.gates.facts import facts_for
from app.models import AuditEvent, Notification, Project
from app.models.plan import Milestone
from app.models.risk import Risk
from app.models.status_report import FrozenReportError, StatusReport
from app.plan.status import latest_reports_for_owner
from tests.gates.flow import as_user, fresh, make_project  # noqa: F401 - as_user is a fixture
from tests.support.factories import csrf_token, login_as, post_form

GREEN_REPORT = {
    "period_label": "Mars 2026", "period_start": "2026-03-01", "period_end": "2026-03-31",
    "progress_status": "green", "progress_comment": "Pilot i sone nord er i gang.",
    "cost_status": "yellow", "cost_comment": "Lisensene ble 40 000 kr dyrere enn antatt.",
    "quality_status": "green", "quality_comment": "",
    "risk_status": "green", "risk_comment": "",
    "benefits_status": "green", "benefits_comment": "",
    "overall_comment": "Prosjektet går som planlagt. Vi ber om at budsjettavviket tas opp i styringsgruppen.",
    "version": "",
}


@pytest.fixture()
def project(db, users):
    """A project in execution: ola owns it, kari leads it, ida is a plain employee."""
    return make_project(users, title="Digitalt tilsyn om natten", stage="execution",
                        submitter="kari", owner="ola", manager="kari")


def url(project, tail=""):
    return f"/projects/{project.id}/status{tail}"


def new_report(client, project, **changes):
    data = {**GREEN_REPORT, **changes}
    return post_form(client, url(project, "/new"), data, page=url(project))


def reports(project) -> list[StatusReport]:
    _db.session.expire_all()
    return list(_db.session.execute(
        _db.select(StatusReport).where(StatusReport.project_id == project.id)
        .order_by(StatusReport.id)).scalars())


def events(action) -> list[AuditEvent]:
    _db.session.expire_all()
    return list(_db.session.execute(_db.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).scalars())


def draft(project, users, *, author="kari", **fields) -> StatusReport:
    values = {k: v for k, v in GREEN_REPORT.items() if k not in ("version", "period_start", "period_end")}
    values.update(fields)
    report = StatusReport(project_id=project.id, author=users[author], snapshot={}, **values)
    _db.session.add(report)
    _db.session.commit()
    return report


# --- reading -----------------------------------------------------------------------------------
def test_every_employee_reads_the_reports_but_only_writers_see_the_button(client, project, users):
    draft(project, users, period_label="Februar 2026")
    login_as(client, users["ida"])
    page = client.get(url(project)).get_data(as_text=True)
    assert "Februar 2026" in page
    assert "Ny statusrapport" not in page

    login_as(client, users["kari"])
    page = client.get(url(project)).get_data(as_text=True)
    assert "Ny statusrapport" in page


def test_a_hidden_project_and_a_foreign_report_are_404(client, project, users):
    other = make_project(users, title="Skjermet prosjekt", stage="execution", submitter="ola",
                         owner="ola", manager="kari", restricted=True)
    theirs = draft(other, users)
    login_as(client, users["ida"])
    assert client.get(url(other)).status_code == 404
    login_as(client, users["kari"])
    assert client.get(url(project, f"/{theirs.id}")).status_code == 404
    assert client.get(url(project, "/999999")).status_code == 404


def test_colours_are_shown_with_shape_and_name_not_colour_alone(client, project, users):
    report = draft(project, users, cost_status="red", cost_comment="Over budsjett.")
    login_as(client, users["ida"])
    page = client.get(url(project, f"/{report.id}")).get_data(as_text=True)
    row = re.search(r'report-areas__row--red.*?</tr>', page, re.S).group(0)
    assert "Økonomi" in row and "Rød" in row and "<rect" in row
    assert "Grønn" in page and "<circle" in page


# --- writing: permissions ----------------------------------------------------------------------
@pytest.mark.parametrize("who,allowed", [
    ("ola", True),     # prosjekteier
    ("kari", True),    # prosjektleder
    ("admin", True),
    ("ida", False),    # any other employee
    ("per", False),    # IKT
    ("siri", False),   # personvern
    ("lise", False),   # portefølje
])
def test_who_may_write_a_report(client, project, users, who, allowed):
    login_as(client, users[who])
    assert client.get(url(project, "/new")).status_code == (200 if allowed else 403)
    response = new_report(client, project)
    assert response.status_code == (303 if allowed else 403)
    assert len(reports(project)) == (1 if allowed else 0)


@pytest.mark.parametrize("who,allowed", [
    ("ola", True), ("kari", True), ("admin", True),
    ("ida", False), ("per", False), ("siri", False), ("lise", False),
])
def test_who_may_edit_publish_and_delete_a_draft(client, project, users, who, allowed):
    report = draft(project, users)
    login_as(client, users[who])
    page = client.get(url(project, f"/{report.id}")).get_data(as_text=True)
    assert ("Publiser" in page) is allowed and ("Slett utkastet" in page) is allowed
    edited = post_form(client, url(project, f"/{report.id}/edit"),
                       {**GREEN_REPORT, "period_label": "Mars 2026 (rettet)", "version": "1"})
    assert edited.status_code == (303 if allowed else 403)
    published = post_form(client, url(project, f"/{report.id}/publish"),
                          {"version": str(fresh(StatusReport, report.id).version)})
    assert published.status_code == (303 if allowed else 403)
    assert fresh(StatusReport, report.id).is_published is allowed


def test_nobody_writes_reports_on_a_completed_project(client, project, users):
    project.stage = "completed"
    _db.session.commit()
    login_as(client, users["kari"])
    assert new_report(client, project).status_code == 403
    assert "Ny statusrapport" not in client.get(url(project)).get_data(as_text=True)


def test_a_post_without_csrf_token_is_refused(client, project, users):
    login_as(client, users["kari"])
    response = client.post(url(project, "/new"), data={**GREEN_REPORT})
    assert response.status_code == 400
    assert reports(project) == []


# --- writing: create, validate, edit, delete ----------------------------------------------------
def test_the_prosjektleder_saves_a_draft_and_it_is_audited(client, project, users):
    login_as(client, users["kari"])
    response = new_report(client, project, action="save")
    (report,) = reports(project)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(url(project, f"/{report.id}"))
    assert report.status == "draft" and report.author_id == users["kari"].id
    assert report.cost_status == "yellow" and report.period_start == date(2026, 3, 1)
    (event_,) = events("status_report.created")
    assert event_.project_id == project.id and event_.actor_id == users["kari"].id
    history = client.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "Kari Nordmann begynte på statusrapporten for Mars 2026." in history


def test_the_new_form_suggests_this_month(client, project, users):
    login_as(client, users["kari"])
    page = client.get(url(project, "/new")).get_data(as_text=True)
    today = date.today()
    assert f'value="{today.replace(day=1).isoformat()}"' in page
    assert str(today.year) in page


@pytest.mark.parametrize("changes,field,message", [
    ({"period_label": "  "}, "period_label", "Skriv hvilken periode rapporten gjelder"),
    ({"period_start": "31.02.2026"}, "period_start", "Skriv datoen som dd.mm.åååå"),
    ({"period_end": "2026-02-01"}, "period_end", "Sluttdatoen kan ikke være før startdatoen."),
    ({"cost_status": "lilla"}, "cost_status", "Velg grønn, gul eller rød."),
    ({"overall_comment": "x" * 8001}, "overall_comment", "høyst 8000 tegn"),
])
def test_bad_input_gets_a_norwegian_message_and_keeps_what_was_typed(client, project, users,
                                                                      changes, field, message):
    login_as(client, users["kari"])
    response = new_report(client, project, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert f'id="{field}-error"' in page
    assert "Lisensene ble 40 000 kr dyrere enn antatt." in page  # typed text kept
    assert reports(project) == []


def test_publishing_an_incomplete_report_says_what_is_missing_and_changes_nothing(client, project, users):
    login_as(client, users["kari"])
    response = new_report(client, project, action="publish", quality_status="", cost_comment="",
                          overall_comment="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Rapporten kan ikke publiseres ennå." in page
    assert "Velg grønn, gul eller rød for kvalitet." in page
    assert "Forklar hvorfor økonomi er gul, og hva som gjøres." in page
    assert "Skriv en samlet vurdering til prosjekteier." in page
    assert "Pilot i sone nord er i gang." in page
    assert reports(project) == []


def test_publishing_a_draft_from_its_page_when_incomplete_shows_the_form(client, project, users):
    report = draft(project, users, risk_status=None, overall_comment="")
    login_as(client, users["kari"])
    response = post_form(client, url(project, f"/{report.id}/publish"), {"version": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Velg grønn, gul eller rød for risiko." in page
    assert fresh(StatusReport, report.id).status == "draft"
    assert events("status_report.published") == []


def test_editing_a_draft(client, project, users):
    report = draft(project, users)
    login_as(client, users["ola"])
    response = post_form(client, url(project, f"/{report.id}/edit"),
                         {**GREEN_REPORT, "risk_status": "red", "risk_comment": "Leverandøren er forsinket.",
                          "version": "1"})
    assert response.status_code == 303
    saved = fresh(StatusReport, report.id)
    assert (saved.risk_status, saved.risk_comment, saved.version) == ("red", "Leverandøren er forsinket.", 2)
    assert len(events("status_report.updated")) == 1


def test_deleting_a_draft_asks_first_and_is_audited(client, project, users):
    report = draft(project, users)
    login_as(client, users["kari"])
    page = client.get(url(project, f"/{report.id}")).get_data(as_text=True)
    assert 'data-confirm="Vil du slette utkastet for Mars 2026?' in page
    response = post_form(client, url(project, f"/{report.id}/delete"))
    assert response.status_code == 303
    assert reports(project) == []
    assert len(events("status_report.deleted")) == 1
    history = client.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "slettet utkastet til statusrapport for Mars 2026" in history


def test_htmx_gets_the_form_block_on_error_and_a_redirect_on_success(htmx, project, users):
    login_as(htmx, users["kari"])
    token = csrf_token(htmx, url(project))
    bad = htmx.post(url(project, "/new"), data={**GREEN_REPORT, "period_label": "", "csrf_token": token})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert body.lstrip().startswith("<form") and "<html" not in body
    ok = htmx.post(url(project, "/new"), data={**GREEN_REPORT, "csrf_token": token})
    (report,) = reports(project)
    assert ok.status_code == 204
    assert ok.headers["HX-Redirect"] == url(project, f"/{report.id}")


# --- concurrent edits ------------------------------------------------------------------------
def test_the_second_of_two_concurrent_saves_gets_409_and_keeps_its_text(project, users, as_user):  # noqa: F811
    report = draft(project, users)
    kari, ola = as_user("kari"), as_user("ola")
    for c in (kari, ola):  # both open the edit form at version 1
        assert 'name="version" type="hidden" value="1"' in c.get(url(project, f"/{report.id}/edit")).get_data(as_text=True)
    first = post_form(kari, url(project, f"/{report.id}/edit"),
                      {**GREEN_REPORT, "overall_comment": "Karis vurdering.", "version": "1"})
    second = post_form(ola, url(project, f"/{report.id}/edit"),
                       {**GREEN_REPORT, "overall_comment": "Olas vurdering.", "version": "1"})
    page = second.get_data(as_text=True)
    assert first.status_code == 303
    assert second.status_code == 409
    assert "Noen andre har endret dette mens du skrev." in page
    assert "Karis vurdering." in page   # what is stored now is shown
    assert "Olas vurdering." in page    # what Ola typed is kept
    assert 'value="2"' in page          # a new save would be based on the current version
    assert fresh(StatusReport, report.id).overall_comment == "Karis vurdering."


def test_publishing_an_outdated_page_is_refused(project, users, as_user):  # noqa: F811
    report = draft(project, users)
    kari = as_user("kari")
    post_form(kari, url(project, f"/{report.id}/edit"), {**GREEN_REPORT, "version": "1"})
    response = post_form(kari, url(project, f"/{report.id}/publish"), {"version": "1"})
    assert response.status_code == 409
    assert "Utkastet er endret av noen andre" in response.get_data(as_text=True)
    assert fresh(StatusReport, report.id).status == "draft"


# --- publishing freezes the report ----------------------------------------------------------------
def _risk(project, users, description, p, c, **kw):
    risk = Risk(project_id=project.id, description=description, probability=p, consequence=c,
                strategy=kw.pop("strategy", "reduce"), responsible=users["kari"], **kw)
    _db.session.add(risk)
    return risk


def test_publishing_freezes_the_top_risks_and_the_milestones(client, project, users):
    today = date.today()
    risks = [_risk(project, users, f"Risiko {n}", p, c) for n, (p, c) in
             enumerate([(1, 1), (5, 5), (2, 3), (4, 4), (3, 3), (2, 2), (5, 3)], start=1)]
    _risk(project, users, "En stor mulighet", 5, 5, kind="opportunity", strategy="exploit")
    _risk(project, users, "Lukket risiko", 5, 4, status="closed")
    m1 = Milestone(project_id=project.id, number="M1", description="Pilot i sone nord startet",
                   due_date=today - timedelta(days=10))
    m2 = Milestone(project_id=project.id, number="M2", description="Alle soner i gang",
                   due_date=today + timedelta(days=60))
    _db.session.add_all([m1, m2])
    _db.session.commit()
    report = draft(project, users)

    login_as(client, users["kari"])
    response = post_form(client, url(project, f"/{report.id}/publish"), {"version": "1"})
    assert response.status_code == 303
    published = fresh(StatusReport, report.id)
    assert published.is_published and published.published_by_id == users["kari"].id
    assert published.published_at is not None
    assert [r["description"] for r in published.snapshot_risks] == [
        "Risiko 2", "Risiko 4", "Risiko 7", "Risiko 5", "Risiko 3"]
    assert published.snapshot_risks[0]["score"] == 25
    assert [(m["number"], m["overdue"]) for m in published.snapshot_milestones] == [("M1", True), ("M2", False)]
    assert len(events("status_report.published")) == 1
    # the owner hears about it
    (note,) = _db.session.execute(_db.select(Notification).where(Notification.user_id == users["ola"].id)).scalars()
    assert "publiserte statusrapporten for Mars 2026" in note.text

    # later the project changes: a risk is rewritten and rescored, a milestone is reached
    risk2 = fresh(Risk, risks[1].id)
    risk2.description, risk2.probability = "Omskrevet risiko", 1
    fresh(Milestone, m1.id).done_date = today
    _db.session.commit()

    page = client.get(url(project, f"/{report.id}")).get_data(as_text=True)
    assert "Risiko 2" in page and "Omskrevet risiko" not in page
    assert "Forsinket" in page and "Nådd" not in page
    assert fresh(StatusReport, report.id).snapshot_risks[0]["description"] == "Risiko 2"


def test_a_draft_previews_the_risks_as_they_stand_now(client, project, users):
    _risk(project, users, "Leverandøren leverer for sent", 4, 5)
    _db.session.commit()
    report = draft(project, users)
    login_as(client, users["ida"])
    page = client.get(url(project, f"/{report.id}")).get_data(as_text=True)
    assert "Leverandøren leverer for sent" in page
    assert "Slik risikolisten står nå" in page


@pytest.mark.parametrize("who", ["kari", "ola", "admin"])
def test_a_published_report_cannot_be_edited_or_deleted(client, project, users, who):
    report = draft(project, users, status="published")
    login_as(client, users[who])
    page = client.get(url(project, f"/{report.id}")).get_data(as_text=True)
    assert "Rediger utkastet" not in page and "Slett utkastet" not in page
    assert "publisert og låst" in page
    for response in (
        client.get(url(project, f"/{report.id}/edit")),
        post_form(client, url(project, f"/{report.id}/edit"), {**GREEN_REPORT, "period_label": "Endret", "version": "1"}),
        post_form(client, url(project, f"/{report.id}/delete")),
        post_form(client, url(project, f"/{report.id}/publish"), {"version": "1"}),
    ):
        assert response.status_code == 409
        assert "er publisert" in response.get_data(as_text=True)
        assert "kan ikke endres" in response.get_data(as_text=True)
    assert fresh(StatusReport, report.id).period_label == "Mars 2026"


def test_the_model_itself_refuses_to_change_a_published_report(db, project, users):
    report = draft(project, users, status="published")
    report.overall_comment = "Skrevet om i ettertid"
    with pytest.raises(FrozenReportError):
        _db.session.commit()
    _db.session.rollback()
    assert fresh(StatusReport, report.id).overall_comment == GREEN_REPORT["overall_comment"]


# --- the gate fact -------------------------------------------------------------------------------
def test_latest_status_report_published_follows_the_newest_report(db, project, users):
    def fact():
        _db.session.expire_all()
        return facts_for(_db.session.get(Project, project.id)).latest_status_report_published

    assert fact() is False
    first = draft(project, users, period_label="Januar 2026")
    assert fact() is False
    first.status = "published"
    _db.session.commit()
    assert fact() is True
    draft(project, users, period_label="Februar 2026")
    assert fact() is False


def test_bp4_checklist_links_the_status_item_to_this_tab(client, project, users):
    login_as(client, users["kari"])
    page = client.get(f"/projects/{project.id}/gates/BP4").get_data(as_text=True)
    item = re.search(r'id="item-status_report_published".*?</li>', page, re.S).group(0)
    assert "Mangler" in item and f'href="/projects/{project.id}/status"' in item
    draft(project, users, status="published")
    page = client.get(f"/projects/{project.id}/gates/BP4").get_data(as_text=True)
    item = re.search(r'id="item-status_report_published".*?</li>', page, re.S).group(0)
    assert "OK" in item


# --- the owner's front page -------------------------------------------------------------------------
def test_latest_reports_for_owner_is_one_query_with_the_latest_published_per_project(app, db, project, users):
    second = make_project(users, title="Elektroniske skjemaer", stage="execution", submitter="kari",
                          owner="ola", manager="kari")
    foreign = make_project(users, title="Noen andres prosjekt", stage="execution", submitter="kari",
                           owner="randi", manager="kari")
    draft(project, users, period_label="Januar", status="published")
    draft(project, users, period_label="Februar", status="published")
    draft(project, users, period_label="Mars (utkast)")
    draft(second, users, period_label="Uke 10", status="published")
    draft(foreign, users, period_label="Annet", status="published")
    for n, r in enumerate(reports(project) + reports(second) + reports(foreign)):
        if r.status == "published":
            _db.session.execute(_db.update(StatusReport).where(StatusReport.id == r.id)
                                .values(published_at=r.created_at + timedelta(minutes=n)))
    _db.session.commit()
    _db.session.expire_all()
    ola = fresh(type(users["ola"]), users["ola"].id)
    assert ola.id and ola.is_authenticated

    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", listener)
    try:
        result = latest_reports_for_owner(ola)
        seen = [(r.project.title, r.period_label, r.published_by is None) for r in result]
    finally:
        event.remove(_db.engine, "before_cursor_execute", listener)
    assert seen == [("Elektroniske skjemaer", "Uke 10", True), ("Digitalt tilsyn om natten", "Februar", True)]
    assert len(statements) == 1


def _render_partial(app, user, **context) -> str:
    from flask import g

    with app.test_request_context("/"):
        g._login_user = fresh(type(user), user.id)  # what Flask-Login's current_user reads
        return render_template("main/_latest_reports.html", **context)


def test_the_front_page_partial_shows_the_owners_latest_reports(app, db, project, users):
    draft(project, users, period_label="Februar 2026", status="published", cost_status="red",
          cost_comment="Over budsjett")
    html = _render_partial(app, users["ola"])
    assert "Siste statusrapport fra dine prosjekter" in html
    assert "Digitalt tilsyn om natten" in html and "Februar 2026" in html
    assert "Rød" in html and f'href="/projects/{project.id}/status/' in html
    assert "Siste statusrapport" not in _render_partial(app, users["ida"])
    # a view that already has the list passes it in
    assert "Siste statusrapport" not in _render_partial(app, users["ola"], latest_reports=[])


def test_the_demo_fillers_add_believable_content_once(db, users):
    from app.demo.changes import fill as fill_changes
    from app.demo.status_reports import fill as fill_status
    from app.demo.tasks import fill as fill_tasks

    running = make_project(users, title="Trygghetsalarmer", stage="execution", submitter="kari", owner="ola",
                           manager="kari", needs_ikt="yes", personal_data="yes")
    _risk(running, users, "Leverandøren leverer for sent", 4, 4)
    _db.session.commit()
    assert (fill_tasks(users), fill_changes(users), fill_status(users)) == (6, 3, 3)
    _db.session.commit()
    assert (fill_tasks(users), fill_changes(users), fill_status(users)) == (0, 0, 0)
    published = [r for r in reports(running) if r.is_published]
    assert published and published[0].snapshot_risks[0]["description"] == "Leverandøren leverer for sent"
    assert facts_for(fresh(Project, running.id)).dpia_status == "ferdig"


# --- one report per period ---------------------------------------------------------------------
@pytest.mark.parametrize("label", ["Mars 2026", "mars  2026", " MARS 2026 "])
def test_a_second_report_for_a_published_period_is_refused_beside_the_period(client, project, users, label):
    draft(project, users, status="published")
    login_as(client, users["kari"])

    response = new_report(client, project, period_label=label, action="publish")
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert "Det finnes allerede en publisert statusrapport for Mars 2026" in html
    assert re.search(r'id="period_label"[^>]*aria-invalid="true"', html) or 'aria-invalid="true"' in html
    assert GREEN_REPORT["overall_comment"] in html  # what was typed stays
    assert len(reports(project)) == 1 and len(events("status_report.published")) == 0


def test_a_second_draft_for_the_same_period_points_to_the_first(client, project, users):
    draft(project, users, period_label="Uke 10–13")
    login_as(client, users["ola"])
    response = new_report(client, project, period_label="uke 10 - 13")
    assert response.status_code == 422
    assert "Det finnes allerede et utkast for Uke 10–13, skrevet av Kari Nordmann" in response.get_data(as_text=True)
    assert len(reports(project)) == 1


def test_a_draft_cannot_be_moved_onto_a_period_that_has_a_report(client, project, users):
    draft(project, users, status="published", period_label="Februar 2026")
    mine = draft(project, users, period_label="Mars 2026")
    login_as(client, users["kari"])
    response = post_form(client, url(project, f"/{mine.id}/edit"),
                         {**GREEN_REPORT, "period_label": "Februar 2026", "version": str(mine.version)},
                         page=url(project))
    assert response.status_code == 422
    assert "Det finnes allerede en publisert statusrapport for Februar 2026" in response.get_data(as_text=True)
    assert fresh(StatusReport, mine.id).period_label == "Mars 2026"


def test_the_database_refuses_two_reports_for_one_period(project, users):
    """Two saves at the same moment both pass the check; the unique index stops the second."""
    from sqlalchemy.exc import IntegrityError

    draft(project, users, period_label="Mars 2026")
    _db.session.add(StatusReport(project_id=project.id, author=users["kari"], snapshot={},
                                 period_label="mars 2026"))
    with pytest.raises(IntegrityError):
        _db.session.commit()
    _db.session.rollback()
    assert len(reports(project)) == 1


def test_other_projects_and_other_periods_are_free(client, project, users):
    other = make_project(users, title="Annet prosjekt", stage="execution", owner="ola", manager="kari")
    draft(other, users, status="published")
    draft(project, users, status="published", period_label="Februar 2026")
    login_as(client, users["kari"])
    assert new_report(client, project).status_code in (302, 303)
    assert [r.period_label for r in reports(project)] == ["Februar 2026", "Mars 2026"]
