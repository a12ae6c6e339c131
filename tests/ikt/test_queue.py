"""The IKT work queue (/ikt): who may use it, what it lists, taking a task, status changes."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import AuditEvent, ProjectMember
from app.models.task import TechnicalTask
from tests.gates.flow import fresh, make_project
from tests.support.factories import csrf_token, make_user, post_form


def add_task(project, users, title="Testmiljø for fagsystemet", **kw) -> TechnicalTask:
    kw.setdefault("kind", "test_env")
    kw.setdefault("created_by", users["kari"])
    task = TechnicalTask(project_id=project.id, title=title, **kw)
    db.session.add(task)
    db.session.commit()
    return task


def rows(response) -> list[str]:
    """The task titles of the queue's table, in order."""
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    section = html[html.index('id="ikt-tasks"'):html.index("</section>", html.index('id="ikt-tasks"'))]
    return re.findall(r'class="task-row__title">\s*<a[^>]*>([^<]+)</a>', section)


def needs_titles(response) -> list[str]:
    html = response.get_data(as_text=True)
    section = html[html.index('id="ikt-needs"'):]
    section = section[:section.index("</section>")]
    return re.findall(r'<th scope="row"><a[^>]*>([^<]+)</a>', section)


@pytest.fixture()
def project(users):
    return make_project(users, title="Digital nøkkelboks", stage="planning", manager="kari")


@pytest.fixture()
def task(project, users):
    return add_task(project, users, due_date=date.today() + timedelta(days=10))


def take(client, task, version=None, back="/ikt", **kwargs):
    return post_form(client, f"/ikt/tasks/{task.id}/take",
                     {"version": task.version if version is None else version, "back": back},
                     page="/profile", **kwargs)


def set_status(client, task, status, version=None, **kwargs):
    return post_form(client, f"/ikt/tasks/{task.id}/status",
                     {"status": status, "version": task.version if version is None else version, "back": "/ikt"},
                     page="/profile", **kwargs)


# --- access ------------------------------------------------------------------------------------
@pytest.mark.parametrize("who, allowed", [("per", True), ("admin", True), ("siri", False), ("lise", False),
                                          ("ida", False), ("kari", False)])
def test_queue_is_for_ikt_and_admins(as_user, users, task, who, allowed):
    response = as_user(who).get("/ikt")
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        assert rows(response) == ["Testmiljø for fagsystemet"]
    taking = take(as_user(who), task)
    assert taking.status_code == (303 if allowed else 403)
    assert fresh(TechnicalTask, task.id).assignee_id == (users[who].id if allowed else None)


@pytest.mark.parametrize("who", ["siri", "lise", "ida"])
def test_others_cannot_change_status_either(as_user, users, task, who):
    assert set_status(as_user(who), task, "done").status_code == 403
    assert fresh(TechnicalTask, task.id).status == "open"


def test_signed_out_goes_to_sign_in(client, users):
    response = client.get("/ikt")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_menu_shows_the_queue_to_ikt_only(as_user, users):
    assert 'href="/ikt"' in as_user("per").get("/").get_data(as_text=True)
    assert 'href="/ikt"' not in as_user("ida").get("/").get_data(as_text=True)


# --- what it lists -----------------------------------------------------------------------------
def test_lists_only_tasks_of_projects_the_person_may_see(as_user, users, task):
    secret = make_project(users, title="Skjermet barnevern", stage="planning", manager="kari", restricted=True)
    add_task(secret, users, title="Tilgang til barnevernssystemet", kind="access")
    draft = make_project(users, title="Kladd", stage="draft")
    add_task(draft, users, title="Oppgave i kladd")

    assert rows(as_user("per").get("/ikt?status=all")) == ["Testmiljø for fagsystemet"]
    assert sorted(rows(as_user("admin").get("/ikt?status=all"))) == ["Testmiljø for fagsystemet",
                                                                     "Tilgang til barnevernssystemet"]
    # A teknisk ansvarlig on the restricted project sees its tasks.
    db.session.add(ProjectMember(project_id=secret.id, user_id=users["per"].id, role="technical_lead"))
    db.session.commit()
    assert "Tilgang til barnevernssystemet" in rows(as_user("per").get("/ikt"))
    # A task hidden from him cannot be taken either.
    hidden = db.session.execute(db.select(TechnicalTask).where(TechnicalTask.project_id == draft.id)).scalar_one()
    assert take(as_user("per"), hidden).status_code == 404


def test_default_view_is_work_still_to_do_in_running_projects(as_user, users, project):
    add_task(project, users, title="Åpen", status="open")
    add_task(project, users, title="Pågår", status="in_progress")
    add_task(project, users, title="Ferdig", status="done")
    closed = make_project(users, title="Trukket prosjekt", stage="withdrawn")
    add_task(closed, users, title="Glemt oppgave")
    per = as_user("per")

    assert sorted(rows(per.get("/ikt"))) == ["Pågår", "Åpen"]
    assert rows(per.get("/ikt?status=done")) == ["Ferdig"]
    assert sorted(rows(per.get("/ikt?status=all"))) == ["Ferdig", "Glemt oppgave", "Pågår", "Åpen"]
    # The withdrawn project's task is shown for the record, without buttons.
    html = per.get("/ikt?status=all").get_data(as_text=True)
    glemt = html[html.index("Glemt oppgave"):]
    glemt = glemt[:glemt.index("</tbody>")]
    assert "Ta oppgaven" not in glemt and "Lagre" not in glemt


def test_filters(as_user, users, project):
    today = date.today()
    other = make_project(users, title="Velferdsteknologi", stage="execution", manager="kari")
    add_task(project, users, title="Forsinket", kind="access", due_date=today - timedelta(days=2))
    add_task(project, users, title="Denne uka", kind="integration", due_date=today + timedelta(days=3),
             assignee=users["per"])
    add_task(other, users, title="Uten frist", kind="access", assignee=users["admin"])
    per = as_user("per")

    assert rows(per.get("/ikt?kind=access")) == ["Forsinket", "Uten frist"]
    assert rows(per.get("/ikt?assignee=me")) == ["Denne uka"]
    assert rows(per.get("/ikt?assignee=none")) == ["Forsinket"]
    assert rows(per.get(f"/ikt?assignee={users['admin'].id}")) == ["Uten frist"]
    assert rows(per.get("/ikt?due=overdue")) == ["Forsinket"]
    assert rows(per.get("/ikt?due=week")) == ["Denne uka"]
    assert rows(per.get("/ikt?due=none")) == ["Uten frist"]
    assert rows(per.get("/ikt?project=velferd")) == ["Uten frist"]
    assert rows(per.get(f"/ikt?project=%23{other.id}")) == ["Uten frist"]
    assert rows(per.get("/ikt?project=%25")) == []  # a LIKE wildcard is just a character
    assert rows(per.get("/ikt?kind=access&due=overdue")) == ["Forsinket"]
    # Unknown values are ignored, never an error.
    assert len(rows(per.get("/ikt?status=hmm&kind=x&assignee=%C2%B2&due=snart&sort=y&dir=z&page=-1"))) == 3


def test_sorting(as_user, users, project):
    today = date.today()
    add_task(project, users, title="B-oppgave", kind="operations", due_date=today + timedelta(days=5),
             status="in_progress", assignee=users["per"])
    add_task(project, users, title="A-oppgave", kind="access", due_date=today + timedelta(days=9))
    add_task(make_project(users, title="Annet prosjekt", stage="concept", manager="kari"), users,
             title="C-oppgave", kind="integration", assignee=users["admin"])
    per = as_user("per")

    assert rows(per.get("/ikt")) == ["B-oppgave", "A-oppgave", "C-oppgave"]  # by due date, none last
    assert rows(per.get("/ikt?sort=due&dir=desc")) == ["A-oppgave", "B-oppgave", "C-oppgave"]
    assert rows(per.get("/ikt?sort=title")) == ["A-oppgave", "B-oppgave", "C-oppgave"]
    assert rows(per.get("/ikt?sort=title&dir=desc")) == ["C-oppgave", "B-oppgave", "A-oppgave"]
    assert rows(per.get("/ikt?sort=project")) == ["C-oppgave", "B-oppgave", "A-oppgave"]
    assert rows(per.get("/ikt?sort=status&dir=desc")) == ["B-oppgave", "A-oppgave", "C-oppgave"]
    assert rows(per.get("/ikt?sort=kind")) == ["A-oppgave", "C-oppgave", "B-oppgave"]
    assert rows(per.get("/ikt?sort=assignee")) == ["C-oppgave", "B-oppgave", "A-oppgave"]  # Adam, Per, nobody


def test_sort_headers_keep_the_filter_and_say_the_order(as_user, users, task):
    html = as_user("per").get("/ikt?kind=test_env&sort=due").get_data(as_text=True)
    assert 'aria-sort="ascending"' in html
    assert 'href="/ikt?kind=test_env&amp;dir=desc"' in html  # due is the default sort
    assert 'href="/ikt?kind=test_env&amp;sort=title"' in html


def test_htmx_gets_just_the_table_and_a_tidy_url(as_user, users, task):
    response = as_user("per").get("/ikt?status=&kind=test_env&assignee=&due=", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="ikt-tasks"') and "<html" not in html
    assert response.headers["HX-Push-Url"] == "/ikt?kind=test_env"
    assert "HX-Request" in response.headers.get("Vary", "")
    # A history restore asks for the whole page.
    full = as_user("per").get("/ikt", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in full.get_data(as_text=True)


def test_paging(as_user, users, project):
    for i in range(53):
        db.session.add(TechnicalTask(project_id=project.id, title=f"Oppgave {i:02}", kind="access",
                                     created_by=users["kari"]))
    db.session.commit()
    per = as_user("per")
    first, second = per.get("/ikt?sort=title"), per.get("/ikt?sort=title&page=2")
    assert len(rows(first)) == 50 and rows(second) == ["Oppgave 50", "Oppgave 51", "Oppgave 52"]
    assert "Viser 51–53 av 53 oppgaver" in second.get_data(as_text=True)
    assert rows(per.get("/ikt?sort=title&page=99")) == rows(second)  # past the end: the last page


def test_query_count_does_not_grow_with_the_number_of_tasks(as_user, users, project, count_queries):
    per = as_user("per")
    add_task(project, users, title="Første")
    per.get("/ikt")
    few = count_queries(lambda: per.get("/ikt"))
    for i in range(30):
        other = make_project(users, title=f"Prosjekt {i}", stage="execution", manager="kari", needs_ikt="yes")
        add_task(other, users, title=f"Oppgave {i}", assignee=users["admin"] if i % 2 else None)
    many = count_queries(lambda: per.get("/ikt"))
    assert few == many, (few, many)


# --- "Ta oppgaven" -----------------------------------------------------------------------------
def test_take_a_task(as_user, users, task):
    per = as_user("per")
    response = take(per, task, back="/ikt?kind=test_env")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/ikt?kind=test_env#ikt-task-{task.id}")

    stored = fresh(TechnicalTask, task.id)
    assert stored.assignee_id == users["per"].id and stored.status == "open"
    [event] = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "technical_task.worked")).scalars()
    assert (event.actor_id, event.project_id, event.data["assignee"]) == (users["per"].id, task.project_id,
                                                                          "Per Hansen")
    page = per.get(response.headers["Location"]).get_data(as_text=True)
    assert "Du har tatt oppgaven «Testmiljø for fagsystemet»." in page
    assert "Per Hansen" in page and "(deg)" in page
    # The project's history tells it in Norwegian.
    history = per.get(f"/projects/{task.project_id}/history").get_data(as_text=True)
    assert "Per Hansen satte Per Hansen som ansvarlig for IKT-oppgaven" in history


def test_take_with_htmx_answers_with_the_row(as_user, users, task):
    per = as_user("per")
    response = per.post(f"/ikt/tasks/{task.id}/take", headers={"HX-Request": "true"},
                        data={"version": task.version, "back": "/ikt", "csrf_token": csrf_token(per, "/ikt")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tbody id="ikt-task-{task.id}"') and "<html" not in html
    assert "Du har tatt oppgaven" in html and "Ta oppgaven" not in html.split("Du har tatt")[0].split("</tr>")[0]


def test_someone_else_took_it_a_moment_before(as_user, users, task):
    users["ivar"] = make_user("ivar", display_name="Ivar Aas", unit="IKT", roles={"ikt"})
    seen = task.version  # both have the queue open

    assert take(as_user("per"), task, version=seen).status_code == 303
    late = take(as_user("ivar"), task, version=seen, headers={"HX-Request": "true"})

    assert late.status_code == 409
    html = late.get_data(as_text=True)
    assert "Per Hansen tok oppgaven rett før deg." in html
    assert fresh(TechnicalTask, task.id).assignee_id == users["per"].id
    assert "Per Hansen" in html and "Ta oppgaven" not in html  # the row shows who has it now


def test_taking_a_task_someone_has_is_refused_even_with_the_current_version(as_user, users, task):
    stored = fresh(TechnicalTask, task.id)
    stored.assignee_id = users["admin"].id
    db.session.commit()
    response = take(as_user("per"), stored)
    assert response.status_code == 409
    assert "Adam Berge tok oppgaven rett før deg." in response.get_data(as_text=True)
    assert fresh(TechnicalTask, task.id).assignee_id == users["admin"].id


def test_taking_my_own_task_again_is_no_conflict(as_user, users, task):
    per = as_user("per")
    assert take(per, task).status_code == 303
    again = take(per, task, version=fresh(TechnicalTask, task.id).version - 1, headers={"HX-Request": "true"})
    assert again.status_code == 200 and "Oppgaven er allerede din." in again.get_data(as_text=True)


def test_take_without_csrf_or_with_a_bad_version(as_user, users, task):
    per = as_user("per")
    assert per.post(f"/ikt/tasks/{task.id}/take", data={"version": task.version}).status_code == 400
    assert take(per, task, version="abc").status_code == 400
    assert take(per, task, version=task.version + 5).status_code == 409
    assert fresh(TechnicalTask, task.id).assignee_id is None
    assert as_user("per").post("/ikt/tasks/99999/take").status_code in (400, 404)
    assert take(per, type(task)(id=99999, version=1)).status_code == 404


def test_tasks_of_a_closed_project_cannot_be_taken(as_user, users):
    closed = make_project(users, title="Fullført", stage="completed", manager="kari")
    task = add_task(closed, users)
    assert take(as_user("per"), task).status_code == 403


def test_back_never_leads_off_the_queue(as_user, users, task):
    response = take(as_user("per"), task, back="https://evil.example/ikt")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/ikt#") or response.headers["Location"].startswith(
        "http://localhost/ikt#")


# --- status in place ---------------------------------------------------------------------------
def test_change_status(as_user, users, task):
    per = as_user("per")
    response = set_status(per, task, "in_progress", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Status for «Testmiljø for fagsystemet» er nå «Pågår»." in html
    assert re.search(r'<option value="in_progress" selected>', html)
    assert fresh(TechnicalTask, task.id).status == "in_progress"
    event = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "technical_task.worked")).scalar_one()
    assert (event.data["status_from"], event.data["status"]) == ("open", "in_progress")

    plain = set_status(per, fresh(TechnicalTask, task.id), "done")
    assert plain.status_code == 303 and fresh(TechnicalTask, task.id).status == "done"


def test_invalid_status_is_422_in_norwegian(as_user, users, task):
    response = set_status(as_user("per"), task, "kanskje", headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Velg åpen, pågår eller ferdig." in response.get_data(as_text=True)
    assert fresh(TechnicalTask, task.id).status == "open"


def test_concurrent_status_change_is_409_and_the_first_stays(as_user, users, task):
    seen = task.version
    assert set_status(as_user("per"), task, "done", version=seen).status_code == 303
    late = set_status(as_user("admin"), task, "in_progress", version=seen, headers={"HX-Request": "true"})
    assert late.status_code == 409
    assert "Status nå: Ferdig" in late.get_data(as_text=True)
    assert fresh(TechnicalTask, task.id).status == "done"


def test_status_without_csrf_is_refused(as_user, users, task):
    response = as_user("per").post(f"/ikt/tasks/{task.id}/status", data={"status": "done", "version": task.version})
    assert response.status_code == 400
    assert fresh(TechnicalTask, task.id).status == "open"


# --- projects that need IKT ---------------------------------------------------------------------
def test_projects_that_need_ikt_and_have_no_technical_lead(as_user, users):
    make = lambda title, **kw: make_project(users, title=title, **kw)  # noqa: E731
    make("Trenger hjelp", stage="concept", manager="kari", needs_ikt="yes")
    make("Trenger hjelp, idé", stage="idea", needs_ikt="yes")
    has_lead = make("Har teknisk ansvarlig", stage="planning", manager="kari", needs_ikt="yes")
    db.session.add(ProjectMember(project_id=has_lead.id, user_id=users["admin"].id, role="technical_lead"))
    db.session.commit()
    make("Trenger ikke", stage="planning", manager="kari", needs_ikt="no")
    make("Vet ikke", stage="planning", manager="kari", needs_ikt="unknown")
    for stage in ("completed", "rejected", "withdrawn", "draft"):
        make(f"Ferdig ({stage})", stage=stage, needs_ikt="yes")
    make("Skjermet", stage="planning", manager="kari", needs_ikt="yes", restricted=True)

    titles = needs_titles(as_user("per").get("/ikt"))
    assert sorted(titles) == ["Trenger hjelp", "Trenger hjelp, idé"]
    assert "Skjermet" in needs_titles(as_user("admin").get("/ikt"))


def test_needs_list_pages_on_its_own(as_user, users):
    for i in range(23):
        make_project(users, title=f"Behov {i:02}", stage="idea", needs_ikt="yes")
    per = as_user("per")
    page = per.get("/ikt")
    assert len(needs_titles(page)) == 20
    second = per.get("/ikt/needs?needs_page=2", headers={"HX-Request": "true"})
    html = second.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="ikt-needs"') and len(needs_titles(second)) == 3
    plain = per.get("/ikt/needs?needs_page=2")
    assert plain.status_code == 302 and plain.headers["Location"].endswith("/ikt?needs_page=2")
    assert as_user("ida").get("/ikt/needs").status_code == 403


def test_a_true_race_is_caught_by_the_version_on_write(as_user, users, task, monkeypatch):
    """Per's take lands between the admin's read and write: the admin's UPDATE finds no row
    with the version it read, and the admin gets 409 naming Per, not a lost update."""
    import app.ikt.routes as routes

    original = routes.get_queue_task_or_404

    def load_then_per_is_faster(task_id):
        loaded = original(task_id)
        with db.engine.begin() as other:  # another connection: Per's request committing
            other.execute(TechnicalTask.__table__.update().where(TechnicalTask.id == task_id)
                          .values(assignee_id=users["per"].id, version=TechnicalTask.version + 1))
        return loaded

    monkeypatch.setattr(routes, "get_queue_task_or_404", load_then_per_is_faster)
    late = take(as_user("admin"), task, headers={"HX-Request": "true"})

    assert late.status_code == 409
    assert "Per Hansen tok oppgaven rett før deg." in late.get_data(as_text=True)
    assert fresh(TechnicalTask, task.id).assignee_id == users["per"].id
    assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "technical_task.worked")).first() is None
