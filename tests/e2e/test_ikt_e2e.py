"""End to end: Per in IKT opens the work queue, narrows it to tasks nobody has, takes one
and sees himself as its assignee, also after a reload and on the project's tasks tab."""
from __future__ import annotations

import re
from datetime import date, timedelta

from app.extensions import db
from app.models import Project
from app.models.base import utcnow
from app.models.task import TechnicalTask
from tests.e2e import screenshot
from tests.e2e.test_sign_in_e2e import sign_in
from tests.support.factories import make_user


def _project_with_task(app) -> tuple[int, int]:
    """A project in planning with one open task for IKT, written with the ORM."""
    with app.app_context():
        kari = make_user("kari", display_name="Kari Nordmann", unit="Rådmannens stab")
        ola = make_user("ola", display_name="Ola Nordmann")
        project = Project(title="Digitale arbeidslister i hjemmetjenesten", stage="planning", unit="Helse og omsorg",
                          need="Papirlister hver morgen.", submitted_by=kari, owner=ola, manager=kari,
                          needs_ikt="yes", submitted_at=utcnow())
        db.session.add(project)
        db.session.flush()
        task = TechnicalTask(project_id=project.id, title="Testmiljø for fagsystemet", kind="test_env",
                             description="Et testmiljø med anonymiserte data før piloten.",
                             due_date=date.today() + timedelta(days=14), created_by=kari)
        db.session.add(task)
        db.session.commit()
        ids = project.id, task.id
        db.session.remove()
    return ids


def test_per_takes_a_task_in_the_ikt_queue(app, page, live_server):
    project_id, task_id = _project_with_task(app)

    sign_in(page, "per")
    page.get_by_role("link", name="IKT-oppgaver").click()
    page.wait_for_url("**/ikt")
    assert page.get_by_role("heading", name="IKT-oppgaver", level=1).is_visible()
    row = page.locator(f"#ikt-task-{task_id}")
    assert "Testmiljø for fagsystemet" in row.inner_text()
    assert "Ingen ennå" in row.get_by_test_id("assignee").inner_text()

    # Only what nobody has taken yet: htmx swaps the table and the address follows.
    page.get_by_label("Ansvarlig", exact=True).select_option("none")
    page.wait_for_url(re.compile(r".*/ikt\?assignee=none$"))
    screenshot(page, "ikt/per-queue")

    row = page.locator(f"#ikt-task-{task_id}")
    row.get_by_role("button", name=re.compile("Ta oppgaven")).click()
    page.get_by_text("Du har tatt oppgaven «Testmiljø for fagsystemet».").wait_for()  # the row came back
    row = page.locator(f"#ikt-task-{task_id}")
    assert row.get_by_test_id("assignee").inner_text().startswith("Per Hansen")
    assert row.get_by_role("button", name=re.compile("Ta oppgaven")).count() == 0
    screenshot(page, "ikt/per-took-task")

    # It is stored: after a reload of "my tasks", and on the project's own tab.
    page.goto("/ikt?assignee=me")
    assert "Per Hansen" in page.locator(f"#ikt-task-{task_id}").get_by_test_id("assignee").inner_text()
    page.goto(f"/projects/{project_id}/tasks")
    assert "Ansvarlig i IKT: Per Hansen" in page.locator(f"#task-{task_id}").inner_text()
    with app.app_context():
        stored = db.session.get(TechnicalTask, task_id)
        assert stored.assignee.username == "per"
        db.session.remove()
