"""A restricted ("Skjermet") project's work still reaches the people who must do it: the
personvernombud sees it in /personvern and on its assessment page, and clears its DPIA;
people in IKT see its technical tasks in /ikt, without the project. Nothing else of it
shows to them, and everyone else still gets 404 everywhere. No notification or e-mail names
a project its reader cannot open."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Notification, OutboxMail, Project
from app.models.task import PrivacyAssessment, TechnicalTask
from tests.gates.flow import fresh, gate_url, make_project
from tests.support.factories import post_form

TITLE = "Varslingskanal for barnevernet"
NEED = "Bekymringsmeldinger kommer på e-post og papir, og det er uklart hvem som har sett dem."


@pytest.fixture()
def secret(users):
    """A restricted project in planning that processes personal data, with a task for IKT."""
    project = make_project(users, title=TITLE, stage="planning", manager="kari", restricted=True,
                           personal_data="yes", need=NEED)
    db.session.add(TechnicalTask(project_id=project.id, title="Tilgang til meldingsmottaket", kind="access",
                                 description="Skjermet område på fellesdisken.", created_by=users["kari"]))
    db.session.commit()
    return project


#: every page of a project, each of which must stay 404 for siri and per
PROJECT_PAGES = ["", "/roles", "/plan", "/plan/prosjektforslag", "/plan/styringsdokument", "/milestones",
                 "/benefits", "/risks", "/stakeholders", "/status", "/changes", "/tasks",
                 "/gates/BP1", "/gates/BP3", "/history"]


def test_the_pages_are_real_for_the_projects_own_people(as_user, users, secret):
    kari = as_user("kari")
    for tail in PROJECT_PAGES:
        assert kari.get(f"/projects/{secret.id}{tail}").status_code == 200, tail


@pytest.mark.parametrize("who", ["siri", "per", "randi"])
def test_nothing_else_of_the_project_opens(as_user, users, secret, who):
    client = as_user(who)
    for tail in PROJECT_PAGES:
        assert client.get(f"/projects/{secret.id}{tail}").status_code == 404, tail
    assert client.get(f"/api/v1/projects/{secret.id}").status_code == 404
    for listing in ("/projects/", "/portfolio", "/portfolio?q=Varslingskanal", "/portfolio/export.csv",
                    "/api/v1/projects", "/api/v1/projects?q=Varslingskanal"):
        response = client.get(listing)
        assert response.status_code == 200, listing
        assert TITLE not in response.get_data(as_text=True), listing
    # Her privacy form on the tasks tab stays shut as well.
    response = post_form(client, f"/projects/{secret.id}/tasks/privacy",
                         {"dpia_status": "ferdig", "comment": "", "version": ""}, page="/")
    assert response.status_code == 404


def test_the_personvernombud_sees_it_in_her_queue_and_clears_its_dpia(as_user, users, secret):
    siri = as_user("siri")
    html = siri.get("/personvern").get_data(as_text=True)
    row = html[html.index(f'id="dpia-{secret.id}"'):]
    row = row[:row.index("</tbody>")]
    assert TITLE in row and "Skjermet" in row
    # Its title leads to the assessment page, not to the project's tabs (a 404 for her).
    assert f'href="/personvern/{secret.id}/vurdering' in row and f"/projects/{secret.id}" not in row

    page = siri.get(f"/personvern/{secret.id}/vurdering")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert TITLE in text and NEED in text and "Prosjektet er skjermet." in text
    assert f'href="/projects/{secret.id}' not in text

    response = post_form(siri, f"/personvern/{secret.id}/vurdering",
                         {"dpia_status": "ferdig", "comment": "DPIA gjennomført.", "version": "",
                          "back": "/personvern"}, page="/personvern")
    assert response.status_code == 303
    assert db.session.scalar(db.select(PrivacyAssessment.dpia_status)) == "ferdig"
    # BP3's privacy item is cleared for the project's own people.
    gate = as_user("kari").get(gate_url(secret, "BP3")).get_data(as_text=True)
    item = re.search(r'id="item-dpia_settled">(.*?)</li>', gate, re.S).group(1)
    assert "checklist__icon" in item and "✔" in item


def test_a_restricted_project_without_personal_data_is_not_hers(as_user, users):
    other = make_project(users, title="Skjermet lønnsoppgjør", stage="planning", manager="kari",
                         restricted=True, personal_data="no")
    siri = as_user("siri")
    assert "Skjermet lønnsoppgjør" not in siri.get("/personvern").get_data(as_text=True)
    assert siri.get(f"/personvern/{other.id}/vurdering").status_code == 404


def test_ikt_sees_the_task_but_not_the_project(as_user, users, secret):
    per = as_user("per")
    html = per.get("/ikt").get_data(as_text=True)
    task_id = db.session.scalar(db.select(TechnicalTask.id))
    row = html[html.index(f'id="ikt-task-{task_id}"'):]
    row = row[:row.index("</tbody>")]
    assert "Tilgang til meldingsmottaket" in row and "Skjermet prosjekt" in row
    assert "Bestilt av Kari Nordmann" in row
    assert TITLE not in html and f"/projects/{secret.id}" not in html
    # Searching the queue by a word of the hidden title finds nothing.
    assert "Tilgang til meldingsmottaket" not in per.get("/ikt?project=barnevernet").get_data(as_text=True)
    # The task can be worked on from the queue.
    response = post_form(per, f"/ikt/tasks/{task_id}/take", {"version": "1", "back": "/ikt"}, page="/ikt")
    assert response.status_code == 303
    assert fresh(TechnicalTask, task_id).assignee_id == users["per"].id


def test_the_queues_stay_closed_to_everyone_else(as_user, users, secret):
    randi = as_user("randi")
    assert randi.get("/ikt").status_code == 403 and randi.get("/personvern").status_code == 403
    assert randi.get(f"/personvern/{secret.id}/vurdering").status_code == 403


# --- notifications ----------------------------------------------------------------------
def _notes(user):
    db.session.expire_all()
    return list(db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def test_ikt_hears_of_a_restricted_projects_task_without_its_title(as_user, users, secret):
    """A new task tells the IKT department and an assignment tells the assignee, worded
    without the project and pointing to the IKT queue, where the task is; per takes the
    mail at once, so the e-mail is checked too."""
    from app.models import NotificationPreference

    db.session.add(NotificationPreference(user_id=users["per"].id, topic="tasks", delivery="immediate"))
    db.session.commit()
    kari = as_user("kari")
    response = post_form(kari, f"/projects/{secret.id}/tasks",
                         {"title": "Testmiljø for meldingsmottaket", "kind": "test_env", "description": ""},
                         page=f"/projects/{secret.id}/tasks")
    assert response.status_code in (302, 303), response.status_code
    [created] = _notes(users["per"])
    assert created.kind == "task_created" and created.project_id is None
    assert TITLE not in created.text and "Testmiljø for meldingsmottaket" in created.text
    assert "skjermet prosjekt" in created.text and created.url.startswith("/ikt")

    task_id = db.session.scalar(db.select(TechnicalTask.id).where(TechnicalTask.title == "Tilgang til meldingsmottaket"))
    response = post_form(as_user("admin"), f"/projects/{secret.id}/tasks/{task_id}/work",
                         {"status": "open", "assignee": str(users["per"].id), "version": "1"},
                         page=f"/projects/{secret.id}/tasks")
    assert response.status_code == 303
    assigned = _notes(users["per"])[-1]
    assert assigned.kind == "task_assigned" and TITLE not in assigned.text
    assert "Tilgang til meldingsmottaket" in assigned.text and assigned.project_id is None
    mails = list(db.session.scalars(db.select(OutboxMail).where(OutboxMail.to_addr == users["per"].email)))
    assert len(mails) == 2
    assert all(TITLE not in m.subject and TITLE not in m.body for m in mails)
    # The link in it opens, on the task.
    page = as_user("per").get(assigned.url.split("#")[0])
    assert page.status_code == 200 and f'id="ikt-task-{task_id}"' in page.get_data(as_text=True)
    # The project's own people are told with its title as before.
    assert all(TITLE not in n.text for n in _notes(users["per"]))


def test_the_personvernombud_is_told_about_a_restricted_projects_dpia(app, users, secret):
    """A privacy notice may name a restricted project to her (she opens it on its
    assessment page, where the link goes); anything else about it is held back."""
    from app.notifications.services import notify

    with app.test_request_context():
        project = fresh(Project, secret.id)
        note = notify(users["siri"], "dpia_needed", f"«{TITLE}» trenger din vurdering.", "/personvern",
                      project=project)
        assert note is not None and note.url == f"/personvern/{secret.id}/vurdering"
        assert notify(users["siri"], "gate_decided", f"Noe skjedde i «{TITLE}».", "/projects/1",
                      project=project) is None
        assert notify(users["randi"], "dpia_needed", f"«{TITLE}» trenger vurdering.", "/personvern",
                      project=project) is None
        db.session.flush()
        assert [n.user_id for n in db.session.scalars(db.select(Notification))] == [users["siri"].id]
    db.session.rollback()


def _notice_calls():
    app_dir = Path(__file__).resolve().parents[2] / "app"
    for path in sorted(app_dir.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("notify", "tell"):
                yield f"{path.relative_to(app_dir)}:{node.lineno}", node


@pytest.mark.parametrize("where, call", list(_notice_calls()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_notification_says_which_project_it_is_about(where, call):
    """notify() can only hold back a project the reader cannot open if it is told which
    project the text is about: every notify() and tell() call passes `project=`."""
    assert any(k.arg == "project" for k in call.keywords), where
