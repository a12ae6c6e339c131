"""End to end: Kari, the prosjektleder, adds a risk on the risks tab and sees it counted in
the matrix without a page load; the matrix cell takes her to that risk. Then she records a
measurement that falls behind plan and must explain it before the chart gets its point."""
from __future__ import annotations

import re
from datetime import date, timedelta

from app.auth.services import user_for_person
from app.directory import get_directory
from app.extensions import db
from app.models import Project
from app.models.base import utcnow
from app.models.benefit import Benefit, BenefitsPlan
from tests.e2e import screenshot
from tests.e2e.test_sign_in_e2e import sign_in


def _project(app, stage: str = "planning") -> tuple[int, int]:
    """A project led by Kari (as the directory knows her), with one benefit."""
    with app.app_context():
        directory = get_directory()
        kari, ola = (user_for_person(directory.find_person(n)) for n in ("kari", "ola"))
        project = Project(title="Digital tilsynslogg i hjemmetjenesten", stage=stage, unit="Helse og omsorg",
                          need="Papirlogg hos brukerne gir dobbeltarbeid.", submitted_by=kari, owner=ola,
                          manager=kari, submitted_at=utcnow())
        db.session.add(project)
        db.session.flush()
        start = date.today() - timedelta(days=200)
        benefit = Benefit(project_id=project.id, description="Mindre tid brukt på dokumentasjon", kind="quality",
                          indicator="Timer per måned", unit="timer", baseline=120.0, baseline_measured_on=start,
                          target=60.0, due_on=start + timedelta(days=400), owner=kari)
        db.session.add_all([benefit, BenefitsPlan(project_id=project.id, plan_version=1)])
        db.session.commit()
        ids = project.id, benefit.id
        db.session.remove()
    return ids


def test_kari_adds_a_risk_and_sees_it_in_the_matrix(app, page, live_server):
    project_id, _ = _project(app)
    sign_in(page, "kari")
    page.goto(f"/projects/{project_id}/risks")
    matrix = page.locator("#risk-matrix")
    assert matrix.locator("table.risk-matrix").get_by_role("link").count() == 0  # no risks counted yet
    page.evaluate("window.__samePage = true")

    form = page.locator("#new-risk")
    form.get_by_label("Beskrivelse").fill("Leverandøren leverer integrasjonen for sent")
    form.get_by_label("Sannsynlighet", exact=True).select_option("4")
    form.get_by_label("Konsekvens", exact=True).select_option("5")
    form.get_by_label("Strategi").select_option("reduce")
    form.get_by_role("button", name="Legg til").click()

    cell = matrix.get_by_role("link", name="1 Høy: risiko med sannsynlighet 4 og konsekvens 5")
    cell.wait_for()
    assert page.evaluate("window.__samePage") is True  # htmx swapped the parts, no reload
    row = page.locator("#risk-rows-open tr", has_text="Leverandøren leverer integrasjonen for sent")
    assert "Redusere" in row.inner_text() and "4 × 5" in row.inner_text()
    assert page.locator("#new_description").input_value() == ""
    screenshot(page, "risks/kari-added-a-risk")

    cell.click()
    page.wait_for_url(re.compile(rf".*/projects/{project_id}/risks\?p=4&c=5#risk-register-h$"))
    assert page.get_by_role("heading", name="Åpne risikoer med sannsynlighet 4 og konsekvens 5").is_visible()
    assert "Leverandøren leverer integrasjonen for sent" in page.locator("#risk-rows-open").inner_text()


def test_a_measurement_behind_plan_must_be_explained(app, page, live_server):
    project_id, benefit_id = _project(app, stage="execution")
    sign_in(page, "kari")
    page.goto(f"/projects/{project_id}/benefits")
    card = page.locator(f"#benefit-{benefit_id}")
    assert card.locator(".benefit-chart__point").count() == 0
    card.get_by_text("Registrer måling").click()
    card.get_by_label("Dato for målingen").fill(date.today().isoformat())
    card.get_by_label("Målt verdi").fill("115")
    card.get_by_role("button", name="Lagre målingen").click()
    page.locator(f"#benefit-{benefit_id} .ds-validation-message", has_text="Forklar avviket").wait_for()

    card = page.locator(f"#benefit-{benefit_id}")
    assert card.get_by_label("Målt verdi").input_value() == "115"  # nothing typed is lost
    card.get_by_label("Kommentar").fill("Opplæringen ble utsatt til etter sommeren.")
    card.get_by_role("button", name="Lagre målingen").click()
    page.locator(f"#benefit-{benefit_id}", has_text="Målingen er registrert.").wait_for()
    assert page.locator(f"#benefit-{benefit_id} .benefit-chart__point").count() == 1
    assert "Opplæringen ble utsatt" in page.locator(f"#benefit-{benefit_id} table").inner_text()
    screenshot(page, "benefits/kari-recorded-a-measurement")


def test_an_edit_in_the_after_action_view_keeps_the_matrix_in_that_view(app, page, live_server):
    """Kari looks at the matrix «Etter tiltak» and edits a risk inline: the matrix htmx
    redraws is still the after-action one, with the risk where its action leaves it."""
    from app.models.risk import Risk

    project_id, _ = _project(app)
    with app.app_context():
        db.session.add(Risk(project_id=project_id, kind="risk", description="Nattevakten får ikke opplæring",
                            probability=4, consequence=5, probability_after=2, consequence_after=2,
                            strategy="reduce", status="open"))
        db.session.commit()
        db.session.remove()
    sign_in(page, "kari")
    page.goto(f"/projects/{project_id}/risks?vis=etter")
    matrix = page.locator("#risk-matrix")
    assert "etter tiltak" in matrix.locator("h3").inner_text()
    matrix.get_by_role("link", name="1 Lav: risiko med sannsynlighet 2 og konsekvens 2").wait_for()
    page.evaluate("window.__samePage = true")

    page.locator("#risk-rows-open a[hx-get]", has_text="Endre").first.click()
    row = page.locator("tr.risk-row--editing")
    row.get_by_label("Konsekvens", exact=True).first.select_option("4")  # before: 4 × 4
    row.get_by_label("Konsekvens etter tiltak").select_option("3")  # after: 2 × 3
    row.get_by_role("button", name="Lagre endringene").click()

    page.locator("#risk-rows-open tr", has_text="Endringene er lagret.").wait_for()
    assert page.evaluate("window.__samePage") is True  # swapped by htmx, no reload
    assert "etter tiltak" in matrix.locator("h3").inner_text()
    matrix.get_by_role("link", name="1 Middels: risiko med sannsynlighet 2 og konsekvens 3").wait_for()
    assert matrix.locator("table.risk-matrix").get_by_role("link").count() == 1
    assert matrix.locator("a[aria-current]").inner_text() == "Etter tiltak"
