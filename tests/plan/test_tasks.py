"""The tasks tab: technical tasks for IKT with their progress, and the privacy assessment."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.extensions import db as _db
from app.gates.facts import facts_for
from app.models import AuditEvent, Notification, Project, ProjectMember
from app.models.task import PrivacyAssessment, TechnicalTask
from app.ikt.queries import visible_in_queue
from app.plan.tasks.queries import tasks_query
from app.portfolio.visibility import openable_projects
from app.privacy.queries import privacy_query
from tests.gates.flow import as_user, fresh, make_project  # noqa: F401 - as_user is a fixture
from tests.support.factories import csrf_token, login_as, make_user, post_form

TASK = {"title": "Testmiljø for fagsystemet", "kind": "test_env", "due_date": "2026-05-01",
        "description": "Et testmiljø med anonymiserte data før piloten.", "version": ""}


@pytest.fixture()
def project(db, users):
    """In planning: ola owns it, kari leads it, randi is teknisk ansvarlig, ida is a plain employee."""
    project = make_project(users, title="Ny EPJ for helse og omsorg", stage="planning",
                           submitter="kari", owner="ola", manager="kari", personal_data="yes")
    project.members.append(ProjectMember(user=users["randi"], role="technical_lead"))
    _db.session.commit()
    return project


def url(project, tail=""):
    return f"/projects/{project.id}/tasks{tail}"


def tasks_of(project) -> list[TechnicalTask]:
    _db.session.expire_all()
    return list(_db.session.execute(
        _db.select(TechnicalTask).where(TechnicalTask.project_id == project.id).order_by(TechnicalTask.id)).scalars())


def events(action) -> list[AuditEvent]:
    _db.session.expire_all()
    return list(_db.session.execute(_db.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).scalars())


def task(project, users, **fields) -> TechnicalTask:
    values = {"title": "Tilgang til fagsystemet for prosjektgruppen", "kind": "access",
              "created_by": users["kari"], "description": ""}
    values.update(fields)
    row = TechnicalTask(project_id=project.id, **values)
    _db.session.add(row)
    _db.session.commit()
    return row


# --- reading and progress ------------------------------------------------------------------------
def test_everyone_sees_the_tasks_and_their_progress(client, project, users):
    task(project, users, status="done")
    task(project, users, title="Integrasjon mot folkeregisteret", kind="integration", status="in_progress")
    task(project, users, title="Driftsavtale", kind="operations")
    task(project, users, title="ROS-analyse", kind="infosec", due_date=date.today() - timedelta(days=3))
    login_as(client, users["ida"])
    page = client.get(url(project)).get_data(as_text=True)
    assert "1 av 4 ferdige (25 %)" in page
    assert "1 pågår" in page and "2 åpne" in page
    assert '<svg class="task-progress__bar"' in page and 'role="img"' in page
    assert 'width="25.00"' in page  # the done part of the bar
    assert "Integrasjon" in page and "Informasjonssikkerhet" in page
    late = re.search(r'<li id="task-\d+" class="task task--open task--overdue".*?</li>', page, re.S).group(0)
    assert "ROS-analyse" in late and "Forsinket" in late
    assert "Ny oppgave til IKT" not in page and "Oppdater" not in page and "Lagre vurderingen" not in page


def test_the_tab_shows_the_personal_data_answer_and_the_dpia(client, project, users):
    login_as(client, users["ida"])
    page = client.get(url(project)).get_data(as_text=True)
    privacy = re.search(r'<section id="privacy".*?</section>', page, re.S).group(0)
    assert "Behandles personopplysninger?" in privacy and "<strong>Ja</strong>" in privacy
    assert "Ikke vurdert" in privacy and "Før BP3 må DPIA være ferdig" in privacy


# --- creating, editing, deleting tasks ----------------------------------------------------------
@pytest.mark.parametrize("who,allowed", [
    ("ola", True),     # prosjekteier
    ("kari", True),    # prosjektleder
    ("randi", True),   # teknisk ansvarlig (the role this tab names)
    ("admin", True),
    ("ida", False), ("per", False), ("siri", False), ("lise", False),
])
def test_who_may_create_edit_and_delete_tasks(client, project, users, who, allowed):
    login_as(client, users[who])
    assert ("Ny oppgave til IKT" in client.get(url(project)).get_data(as_text=True)) is allowed
    created = post_form(client, url(project), TASK)
    assert created.status_code == (303 if allowed else 403)
    row = task(project, users)
    edited = post_form(client, url(project, f"/{row.id}/edit"), {**TASK, "title": "Endret", "version": "1"})
    assert edited.status_code == (303 if allowed else 403)
    assert (fresh(TechnicalTask, row.id).title == "Endret") is allowed
    deleted = post_form(client, url(project, f"/{row.id}/delete"))
    assert deleted.status_code == (303 if allowed else 403)
    assert (fresh(TechnicalTask, row.id) is None) is allowed


def test_creating_a_task_is_audited_and_described(client, project, users):
    login_as(client, users["randi"])
    response = post_form(client, url(project), TASK)
    (row,) = tasks_of(project)
    assert response.headers["Location"].endswith(f"#task-{row.id}")
    assert (row.kind, row.status, row.due_date, row.created_by_id) == (
        "test_env", "open", date(2026, 5, 1), users["randi"].id)
    (event_,) = events("technical_task.created")
    assert event_.project_id == project.id
    history = client.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "Randi Strand la til IKT-oppgaven «Testmiljø for fagsystemet» (testmiljø)." in history


@pytest.mark.parametrize("changes,field,message", [
    ({"title": " "}, "new-task-title", "Gi oppgaven en tittel."),
    ({"kind": "hacking"}, "new-task-kind", "Velg hva slags oppgave det er."),
    ({"kind": ""}, "new-task-kind", "Velg hva slags oppgave det er."),
    ({"due_date": "i morgen"}, "new-task-due_date", "Skriv datoen som dd.mm.åååå"),
])
def test_bad_task_input_gets_a_norwegian_message_and_keeps_what_was_typed(client, project, users,
                                                                         changes, field, message):
    login_as(client, users["kari"])
    response = post_form(client, url(project), {**TASK, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error"[^>]*>[^<]*{re.escape(message)}', page)
    assert "Et testmiljø med anonymiserte data før piloten." in page
    assert tasks_of(project) == []


def test_dates_typed_by_hand_are_understood(client, project, users):
    login_as(client, users["kari"])
    post_form(client, url(project), {**TASK, "due_date": "01.06.2026"})
    assert tasks_of(project)[0].due_date == date(2026, 6, 1)


def test_htmx_create_rerenders_the_panel_and_edit_swaps_the_item(htmx, project, users):
    login_as(htmx, users["kari"])
    token = csrf_token(htmx, url(project))
    created = htmx.post(url(project), data={**TASK, "csrf_token": token})
    body = created.get_data(as_text=True)
    assert created.status_code == 200 and body.lstrip().startswith('<section id="tasks-panel"')
    assert "Oppgaven «Testmiljø for fagsystemet» er lagt til." in body
    (row,) = tasks_of(project)
    form = htmx.get(url(project, f"/{row.id}/edit")).get_data(as_text=True)
    assert form.lstrip().startswith(f'<li id="task-{row.id}"') and f'id="t{row.id}-title"' in form
    cancel = htmx.get(url(project, f"/{row.id}")).get_data(as_text=True)
    assert "Lagre oppgaven" not in cancel
    deleted = htmx.post(url(project, f"/{row.id}/delete"), data={"csrf_token": token})
    assert deleted.status_code == 200 and "er slettet" in deleted.get_data(as_text=True)


def test_deleting_asks_first_and_is_audited(client, project, users):
    row = task(project, users)
    login_as(client, users["kari"])
    page = client.get(url(project)).get_data(as_text=True)
    assert 'hx-confirm="Vil du slette oppgaven «Tilgang til fagsystemet for prosjektgruppen»?"' in page
    post_form(client, url(project, f"/{row.id}/delete"))
    (event_,) = events("technical_task.deleted")
    assert event_.data["title"] == "Tilgang til fagsystemet for prosjektgruppen"


def test_concurrent_text_edits_the_second_gets_409(project, users, as_user):  # noqa: F811
    row = task(project, users)
    first = post_form(as_user("kari"), url(project, f"/{row.id}/edit"), {**TASK, "title": "Karis tittel", "version": "1"})
    second = post_form(as_user("randi"), url(project, f"/{row.id}/edit"), {**TASK, "title": "Randis tittel", "version": "1"})
    page = second.get_data(as_text=True)
    assert first.status_code == 303 and second.status_code == 409
    assert "Karis tittel" in page and 'value="Randis tittel"' in page
    assert fresh(TechnicalTask, row.id).title == "Karis tittel"


def test_a_foreign_or_missing_task_is_404(client, project, users):
    other = make_project(users, title="Annet", stage="planning", submitter="kari", owner="ola", manager="kari")
    theirs = task(other, users)
    login_as(client, users["kari"])
    assert post_form(client, url(project, f"/{theirs.id}/edit"), {**TASK, "version": "1"}).status_code == 404
    assert post_form(client, url(project, "/99999/delete")).status_code == 404


def test_a_post_without_csrf_token_is_refused(client, project, users):
    row = task(project, users)
    login_as(client, users["admin"])
    assert client.post(url(project), data=TASK).status_code == 400
    assert client.post(url(project, f"/{row.id}/work"), data={"status": "done"}).status_code == 400
    assert client.post(url(project, "/privacy"), data={"dpia_status": "ferdig"}).status_code == 400
    assert len(tasks_of(project)) == 1 and fresh(TechnicalTask, row.id).status == "open"


# --- IKT: status and assignee ------------------------------------------------------------------
@pytest.mark.parametrize("who,allowed", [
    ("per", True),     # IKT
    ("admin", True),
    ("ola", False), ("kari", False), ("randi", False), ("ida", False), ("siri", False), ("lise", False),
])
def test_only_ikt_changes_status_and_assignee(client, project, users, who, allowed):
    row = task(project, users)
    login_as(client, users[who])
    assert ("Oppdater" in client.get(url(project)).get_data(as_text=True)) is allowed
    response = post_form(client, url(project, f"/{row.id}/work"),
                         {"status": "in_progress", "assignee": str(users["per"].id), "version": "1"})
    assert response.status_code == (303 if allowed else 403)
    assert fresh(TechnicalTask, row.id).status == ("in_progress" if allowed else "open")


def test_ikt_takes_a_task_and_the_assignee_is_told(client, project, users):
    row = task(project, users)
    colleague = make_user("trond", display_name="Trond IKT", unit="IKT", roles={"ikt"})
    login_as(client, users["per"])
    page = client.get(url(project)).get_data(as_text=True)
    assert f'<option value="{colleague.id}">Trond IKT</option>' in page
    assert f'>{users["kari"].display_name}</option>' not in page  # only the IKT role can be chosen
    response = post_form(client, url(project, f"/{row.id}/work"),
                         {"status": "in_progress", "assignee": str(colleague.id), "version": "1"})
    assert response.status_code == 303
    saved = fresh(TechnicalTask, row.id)
    assert (saved.status, saved.assignee_id) == ("in_progress", colleague.id)
    (event_,) = events("technical_task.worked")
    assert event_.data["status_from"] == "open" and event_.data["assignee"] == "Trond IKT"
    (note,) = _db.session.execute(_db.select(Notification).where(Notification.user_id == colleague.id)).scalars()
    assert "ansvarlig for IKT-oppgaven" in note.text
    history = client.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "Per Hansen satte status til «Pågår» og satte Trond IKT som ansvarlig for IKT-oppgaven" in history


def test_a_task_cannot_be_given_to_someone_outside_ikt(client, project, users):
    row = task(project, users)
    login_as(client, users["per"])
    for bad in (str(users["kari"].id), "999999", "x"):
        response = post_form(client, url(project, f"/{row.id}/work"),
                             {"status": "done", "assignee": bad, "version": "1"})
        assert response.status_code == 422
        assert "Velg en person i IKT." in response.get_data(as_text=True)
    bad_status = post_form(client, url(project, f"/{row.id}/work"), {"status": "kanskje", "assignee": "", "version": "1"})
    assert bad_status.status_code == 422 and "Velg åpen, pågår eller ferdig." in bad_status.get_data(as_text=True)
    assert fresh(TechnicalTask, row.id).status == "open"


def test_ikt_update_with_htmx_refreshes_the_progress_out_of_band(htmx, project, users):
    row = task(project, users)
    login_as(htmx, users["per"])
    token = csrf_token(htmx, url(project))
    response = htmx.post(url(project, f"/{row.id}/work"),
                         data={"status": "done", "assignee": "", "version": "1", "csrf_token": token})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith(f'<li id="task-{row.id}"')
    assert 'id="task-progress" class="task-progress" hx-swap-oob="true"' in body
    assert "1 av 1 ferdige (100 %)" in body


def test_concurrent_ikt_updates_the_second_gets_409(app, project, users):
    from tests.gates.flow import BrowserClient

    row = task(project, users)
    a, b = (BrowserClient(app, app.response_class, use_cookies=True) for _ in range(2))
    login_as(a, users["per"])
    login_as(b, users["admin"])
    first = post_form(a, url(project, f"/{row.id}/work"), {"status": "done", "assignee": "", "version": "1"})
    second = post_form(b, url(project, f"/{row.id}/work"), {"status": "in_progress", "assignee": "", "version": "1"})
    assert first.status_code == 303 and second.status_code == 409
    assert "Status nå: Ferdig." in second.get_data(as_text=True)
    assert fresh(TechnicalTask, row.id).status == "done"


# --- privacy -----------------------------------------------------------------------------------
@pytest.mark.parametrize("who,allowed", [
    ("siri", True),    # personvern
    ("admin", True),
    ("ola", False), ("kari", False), ("randi", False), ("ida", False), ("per", False), ("lise", False),
])
def test_only_personvern_sets_the_dpia(client, project, users, who, allowed):
    login_as(client, users[who])
    assert ("Lagre vurderingen" in client.get(url(project)).get_data(as_text=True)) is allowed
    response = post_form(client, url(project, "/privacy"), {"dpia_status": "pakrevd", "comment": "DPIA kreves.", "version": ""})
    assert response.status_code == (303 if allowed else 403)
    saved = _db.session.execute(_db.select(PrivacyAssessment)).scalar_one_or_none()
    assert (saved is not None) is allowed


def test_the_personvernombud_assesses_and_the_gate_fact_follows(client, project, users):
    def fact():
        _db.session.expire_all()
        return facts_for(_db.session.get(Project, project.id)).dpia_status

    assert fact() == "ikke_vurdert"
    login_as(client, users["siri"])
    post_form(client, url(project, "/privacy"), {"dpia_status": "under_arbeid", "comment": "Vi er i gang.", "version": ""})
    assert fact() == "under_arbeid"
    response = post_form(client, url(project, "/privacy"),
                         {"dpia_status": "ferdig", "comment": "DPIA er ferdig og arkivert i sak 2026/114.", "version": "1"})
    assert response.status_code == 303
    assert fact() == "ferdig"
    saved = _db.session.execute(_db.select(PrivacyAssessment)).scalar_one()
    assert (saved.updated_by_id, saved.version) == (users["siri"].id, 2)
    assert [e.data["dpia_status"] for e in events("privacy.assessed")] == ["under_arbeid", "ferdig"]
    page = client.get(url(project)).get_data(as_text=True)
    assert "Sist vurdert av Siri Lie" in page and "Før BP3 må DPIA være ferdig" not in page
    history = client.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "Siri Lie satte DPIA-status til «Ferdig». Kommentar: «DPIA er ferdig og arkivert i sak 2026/114.»" in history


def test_bp3_item_for_the_dpia_follows_the_assessment(client, project, users):
    def item():
        page = client.get(f"/projects/{project.id}/gates/BP3").get_data(as_text=True)
        return re.search(r'id="item-dpia_settled".*?</li>', page, re.S).group(0)

    login_as(client, users["siri"])
    assert "Mangler" in item()
    post_form(client, url(project, "/privacy"), {"dpia_status": "ikke_nodvendig", "comment": "", "version": ""})
    assert "OK" in item()


def test_a_bad_dpia_status_gets_a_norwegian_message(client, project, users):
    login_as(client, users["siri"])
    response = post_form(client, url(project, "/privacy"), {"dpia_status": "kanskje", "comment": "Uklart", "version": ""})
    assert response.status_code == 422
    assert "Velg en status for DPIA." in response.get_data(as_text=True)
    assert "Uklart</textarea>" in response.get_data(as_text=True)


def test_concurrent_assessments_the_second_gets_409(app, project, users):
    from tests.gates.flow import BrowserClient

    a, b = (BrowserClient(app, app.response_class, use_cookies=True) for _ in range(2))
    login_as(a, users["siri"])
    login_as(b, users["admin"])
    first = post_form(a, url(project, "/privacy"), {"dpia_status": "pakrevd", "comment": "Siris vurdering", "version": ""})
    second = post_form(b, url(project, "/privacy"), {"dpia_status": "ikke_nodvendig", "comment": "Adams", "version": ""})
    page = second.get_data(as_text=True)
    assert first.status_code == 303 and second.status_code == 409
    assert "Nå står det: «Påkrevd» – «Siris vurdering»." in page and "Adams</textarea>" in page
    saved = _db.session.execute(_db.select(PrivacyAssessment)).scalar_one()
    assert (saved.dpia_status, saved.comment) == ("pakrevd", "Siris vurdering")


def test_htmx_privacy_swaps_the_card(htmx, project, users):
    login_as(htmx, users["siri"])
    token = csrf_token(htmx, url(project))
    response = htmx.post(url(project, "/privacy"), data={"dpia_status": "ferdig", "comment": "", "version": "", "csrf_token": token})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith('<section id="privacy"')
    assert "Personvernvurderingen er lagret: Ferdig." in body


def test_nobody_changes_anything_on_a_completed_project(client, project, users):
    row = task(project, users)
    project.stage = "completed"
    _db.session.commit()
    for who, path, data in (("kari", url(project), TASK),
                            ("per", url(project, f"/{row.id}/work"), {"status": "done", "assignee": "", "version": "1"}),
                            ("siri", url(project, "/privacy"), {"dpia_status": "ferdig", "version": ""})):
        login_as(client, users[who])
        assert post_form(client, path, data).status_code == 403


# --- the query helpers for the IKT and privacy queues -------------------------------------------
def test_tasks_query_filters_and_loads_eagerly(db, project, users):
    other = make_project(users, title="Skjermet", stage="execution", submitter="ola", owner="ola",
                         manager="kari", restricted=True)
    task(project, users, title="Åpen", due_date=date(2026, 5, 1))
    task(project, users, title="Uten frist")
    task(project, users, title="Tidligst", due_date=date(2026, 1, 1), assignee=users["per"], status="in_progress")
    task(project, users, title="Ferdig", status="done")
    task(other, users, title="I skjermet prosjekt")
    _db.session.expire_all()

    def titles(visible_to=None, **kw):
        query = tasks_query(**kw) if visible_to is None else tasks_query(**kw).where(visible_in_queue(visible_to))
        return [t.title for t in _db.session.execute(query).scalars()]

    assert titles(project_ids=[project.id], statuses=("open", "in_progress")) == ["Tidligst", "Åpen", "Uten frist"]
    assert titles(assignee_id=users["per"].id) == ["Tidligst"]
    assert titles(unassigned=True, statuses=("open",), project_ids=[project.id]) == ["Åpen", "Uten frist"]
    # The IKT queue: people in IKT see a restricted project's tasks (their work), others not.
    assert "I skjermet prosjekt" in titles(visible_to=fresh(type(users["per"]), users["per"].id))
    assert "I skjermet prosjekt" not in titles(visible_to=fresh(type(users["ida"]), users["ida"].id))
    assert "I skjermet prosjekt" in titles(visible_to=fresh(type(users["lise"]), users["lise"].id))
    row = _db.session.execute(tasks_query(assignee_id=users["per"].id)).scalars().one()
    state = _db.inspect(row)
    assert "project" not in state.unloaded and "assignee" not in state.unloaded


def test_privacy_query_finds_projects_that_need_a_dpia(db, project, users):
    settled = make_project(users, title="Ferdig vurdert", stage="planning", submitter="kari", owner="ola",
                           manager="kari", personal_data="yes")
    no_data = make_project(users, title="Uten personopplysninger", stage="planning", submitter="kari",
                           owner="ola", manager="kari", personal_data="no")
    _db.session.add(PrivacyAssessment(project_id=settled.id, dpia_status="ferdig", updated_by=users["siri"]))
    _db.session.commit()
    rows = _db.session.execute(privacy_query(personal_data=("yes", "unknown"),
                                             dpia_statuses=("ikke_vurdert", "pakrevd", "under_arbeid"))).all()
    assert [(p.title, a) for p, a in rows] == [("Ny EPJ for helse og omsorg", None)]
    everything = _db.session.execute(privacy_query()).all()
    assert {p.title for p, _a in everything} == {"Ny EPJ for helse og omsorg", "Ferdig vurdert", no_data.title}


def test_visible_projects_matches_can_view(db, project, users):
    hidden = make_project(users, title="Skjermet", stage="execution", submitter="ola", owner="ola",
                          manager="kari", restricted=True)
    draft_ = make_project(users, title="Kladd", stage="draft", submitter="ida", owner="ola")
    for name in ("ida", "ola", "kari", "per", "lise", "admin", "randi"):
        user = fresh(type(users[name]), users[name].id)
        seen = set(_db.session.execute(_db.select(Project.id).where(openable_projects(user))).scalars())
        expected = {p.id for p in (project, hidden, draft_) if fresh(Project, p.id).can_view(user)}
        assert seen == expected, name


def test_editing_without_javascript_shows_the_tab_with_the_task_open(client, project, users):
    row = task(project, users)
    login_as(client, users["kari"])
    page = client.get(url(project, f"/{row.id}/edit")).get_data(as_text=True)
    assert "<html" in page and f'id="t{row.id}-title"' in page and 'id="new-task-title"' in page
    assert client.get(url(project, f"/{row.id}")).status_code == 302


def test_absurd_ids_and_values_are_404_or_a_field_error_never_a_crash(client, project, users):
    big = "9" * 25
    login_as(client, users["admin"])
    for path in (f"/projects/{project.id}/status/{big}", f"/projects/{project.id}/changes/{big}",
                 url(project, f"/{big}/edit"), f"/projects/{project.id}/status/{2**31}"):
        assert client.get(path).status_code == 404, path
    row = task(project, users)
    response = post_form(client, url(project, f"/{row.id}/work"), {"status": "done", "assignee": big, "version": "1"})
    assert response.status_code == 422 and "Velg en person i IKT." in response.get_data(as_text=True)
