"""End to end in Chromium: Kari writes a status report, is told what is missing, publishes
it, and Ola (the owner) finds it on the status tab, frozen.

Uses the e2e fixtures (live server, Playwright, the system Chromium); missing Chromium or
Playwright skips locally and fails under CI=true.
"""
from __future__ import annotations

import re

import pytest

from app.extensions import db as _db
from app.people.resolve import user_by_username as resolve_user
from app.models import Project
from app.models.base import utcnow
from app.models.risk import Risk
from app.models.status_report import StatusReport
from tests.e2e import screenshot
from tests.e2e.test_sign_in_e2e import sign_in

pytestmark = pytest.mark.e2e


def _project(app) -> int:
    """A project in execution led by Kari and owned by Ola, with one big risk."""
    with app.app_context():
        kari, ola = resolve_user("kari"), resolve_user("ola")
        project = Project(title="Trygghetsalarmer over på digitalt nett", stage="execution",
                          submitted_by=kari, owner=ola, manager=kari, submitted_at=utcnow(),
                          unit="Helse og omsorg", need="Analoge trygghetsalarmer slutter å virke når telenettet legges ned.")
        _db.session.add(project)
        _db.session.flush()
        _db.session.add(Risk(project_id=project.id, description="Leverandøren leverer alarmene for sent",
                             probability=4, consequence=4, strategy="reduce", responsible=kari))
        _db.session.commit()
        return project.id


def test_kari_publishes_a_status_report_and_it_stays_frozen(app, page, live_server):  # noqa: F811
    project_id = _project(app)
    page.on("dialog", lambda dialog: dialog.accept())  # "Når rapporten er publisert …?"

    sign_in(page, "kari")
    page.goto(f"/projects/{project_id}/status")
    assert "Ingen statusrapporter ennå" in page.inner_text("main")
    page.get_by_role("link", name="Ny statusrapport").click()
    page.locator("#period_label").fill("Mars 2026")
    page.locator("#cost_status-field").get_by_label(re.compile("^Gul")).check()

    # Publishing too early: the form comes back (htmx) saying what is missing, text kept.
    page.get_by_role("button", name="Publiser").click()
    page.get_by_text("Rapporten kan ikke publiseres ennå.").wait_for()
    assert "Forklar hvorfor økonomi er gul, og hva som gjøres." in page.inner_text("main")
    assert page.locator("#period_label").input_value() == "Mars 2026"
    screenshot(page, "status/kari-publish-refused")

    for area in ("progress", "quality", "risk", "benefits"):
        page.locator(f"#{area}_status-field").get_by_label(re.compile("^Grønn")).check()
    page.get_by_label("Kommentar om økonomi").fill("Lisensene ble 40 000 kr dyrere enn antatt.")
    page.get_by_label("Samlet vurdering").fill("Piloten i sone nord er i gang og går etter planen.")
    page.get_by_role("button", name="Publiser").click()

    page.wait_for_url(re.compile(rf".*/projects/{project_id}/status/\d+$"))
    main = page.inner_text("main")
    assert "Statusrapporten er publisert." in main
    assert "Rapporten er publisert og låst." in main
    assert "Leverandøren leverer alarmene for sent" in main  # the frozen top risks
    assert page.get_by_role("button", name="Publiser").count() == 0
    screenshot(page, "status/kari-published")

    with app.app_context():
        (report,) = _db.session.execute(_db.select(StatusReport)).scalars()
        assert report.is_published and report.cost_status == "yellow"
        risk = _db.session.execute(_db.select(Risk)).scalar_one()
        risk.description = "Omskrevet etterpå"
        _db.session.commit()

    # Ola sees it in the list, and the report as it was published.
    page.get_by_role("button", name="Logg ut").click()
    sign_in(page, "ola")
    page.goto(f"/projects/{project_id}/status")
    row = page.get_by_role("row", name=re.compile("Mars 2026"))
    assert "Publisert" in row.inner_text() and "Gul" in row.inner_text()
    row.get_by_role("link", name="Mars 2026").click()
    main = page.inner_text("main")
    assert "Leverandøren leverer alarmene for sent" in main and "Omskrevet etterpå" not in main
    screenshot(page, "status/ola-reads-report")
