"""The decision document's reporting section says how often the project reports status, as
the plan template's «Oppfølging og rapportering» asks (issue 8, item 4)."""
from __future__ import annotations

from app.extensions import db
from app.models import ProjectPlan
from tests.decisions.helpers import project_before


def reporting_section(html: str) -> str:
    start = html.index("Oppfølging og rapportering")
    return html[start:html.index("Endringsstyring", start)]


def test_the_styringsdokument_says_how_often_status_is_reported(users, as_user):
    project = project_before(users, "BP3", stage="planning")
    kari = as_user("kari")
    url = f"/projects/{project.id}/plan/styringsdokument"

    # A plan that has not chosen reports monthly, the municipal template's default.
    assert "Statusrapport leveres: hver måned." in reporting_section(kari.get(url).get_data(as_text=True))

    plan = db.session.scalar(db.select(ProjectPlan).where(ProjectPlan.project_id == project.id))
    plan.report_interval = "quarter"
    db.session.commit()
    section = reporting_section(kari.get(url).get_data(as_text=True))
    assert "Statusrapport leveres: hvert kvartal." in section and "hver måned" not in section
