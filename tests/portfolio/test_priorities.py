"""Prioritising: portfolio management scores ideas and projects on five criteria; the
ranked list and the overview show the result."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import AuditEvent
from app.models.portfolio import PriorityScore
from tests.portfolio import builders as b
from tests.portfolio.helpers import row_html
from tests.support.factories import csrf_token

SCORES = {"strategic_value": "5", "quality_benefit": "4", "economic_benefit": "2", "operational_need": "5",
          "risk": "4"}  # 5+4+2+5+(6-4) = 18


def _post(client, project, data=None, *, token=True, version=""):
    data = {**SCORES, "comment": "Lovpålagt fra 2027.", "version": version, **(data or {})}
    if token:
        data["csrf_token"] = csrf_token(client, "/portfolio")
    return client.post(f"/portfolio/priorities/{project.id}", data=data)


def _score(project):
    db.session.expire_all()
    return db.session.scalars(db.select(PriorityScore).where(PriorityScore.project_id == project.id)).one_or_none()


@pytest.mark.parametrize("actor, allowed", [
    ("lise", True), ("admin", True),
    ("ida", False),   # submitter
    ("ola", False),   # owner
    ("kari", False),  # manager
    ("per", False), ("siri", False), ("randi", False),
])
def test_only_portfolio_management_and_admins_score(as_user, users, actor, allowed):
    idea = b.project(users, "Digital nøkkelboks", stage="idea", manager=None)
    client = as_user(actor)
    form = client.get(f"/portfolio/priorities/{idea.id}")
    response = _post(client, idea)
    if allowed:
        assert form.status_code == 200
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/portfolio/priorities#project-{idea.id}")
        score = _score(idea)
        assert score.priority == 18 and score.scored_by.username == actor and score.comment == "Lovpålagt fra 2027."
    else:
        assert form.status_code == 403 and response.status_code == 403
        assert _score(idea) is None
    # Everyone may read the ranking; only scorers get the buttons.
    ranking = client.get("/portfolio/priorities").get_data(as_text=True)
    assert "Digital nøkkelboks" in ranking
    assert ('href="/portfolio/priorities/%d"' % idea.id in ranking) is allowed


def test_score_is_audited_and_shown_in_history_ranking_and_overview(as_user, users):
    project = b.project(users, "Velferdsteknologi", stage="planning")
    lise = as_user("lise")
    _post(lise, project)
    _post(lise, project, {"risk": "1", "comment": ""}, version=str(_score(project).version))
    assert _score(project).priority == 21
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "priority.scored")
                                .order_by(AuditEvent.id)).all()
    assert [e.data["priority"] for e in events] == [18, 21]
    assert events[1].data["before"]["risk"] == 4 and events[1].project_id == project.id
    history = as_user("ola").get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "Lise Johansen prioriterte prosjektet: 21 av 25" in history
    assert "risiko 1" in history
    overview = as_user("per").get("/portfolio").get_data(as_text=True)
    assert "21 / 25" in row_html(overview, project.id)


def test_ranking_orders_by_priority_then_unscored_and_leaves_out_closed_stages(as_user, users):
    low = b.project(users, "Lav", stage="idea")
    high = b.project(users, "Høy", stage="concept")
    b.project(users, "Uvurdert", stage="planning")
    done = b.project(users, "Ferdig", stage="completed")
    b.score(low, users["lise"], 1, 1, 1, 1, 5)     # 5
    b.score(high, users["lise"], 5, 5, 5, 5, 1)    # 25
    b.score(done, users["lise"], 5, 5, 5, 5, 1)
    html = as_user("per").get("/portfolio/priorities").get_data(as_text=True)
    titles = re.findall(r'<tr id="project-\d+">.*?<a class="ds-link" [^>]*>([^<]+)</a>', html, re.S)
    assert titles == ["Høy", "Lav", "Uvurdert"]
    ranks = re.findall(r'<td class="rank">(.*?)</td>', html, re.S)
    assert [r.strip() for r in ranks[:2]] == ["1", "2"] and "–" in ranks[2]
    # Asking for a stage shows that stage (completed projects too, for the record).
    html = as_user("per").get("/portfolio/priorities?stage=completed").get_data(as_text=True)
    assert "Ferdig" in html and "Lav" not in html


def test_closed_and_draft_projects_cannot_be_scored(as_user, users):
    done = b.project(users, "Ferdig", stage="completed")
    draft = b.project(users, "Kladd", stage="draft", submitter="lise", owner="ola")
    lise = as_user("lise")
    assert _post(lise, done).status_code == 403
    assert _post(lise, draft).status_code == 404
    assert lise.get("/portfolio/priorities/999999").status_code == 404


def test_validation_in_norwegian_keeps_what_was_chosen(as_user, users):
    project = b.project(users, "Chatbot", stage="idea")
    lise = as_user("lise")
    response = _post(lise, project, {"economic_benefit": "", "risk": "9", "comment": "x" * 2001})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count("Velg en verdi fra 1 til 5.") == 2  # the missing one and the 9
    assert 'id="economic_benefit-error"' in html and 'id="risk-error"' in html
    assert "Begrunnelsen kan ha høyst 2000 tegn." in html
    assert re.search(r'id="strategic_value-4"[^>]*checked|checked[^>]*id="strategic_value-4"', html)
    assert _score(project) is None


def test_csrf_is_required(as_user, users):
    project = b.project(users, "Chatbot", stage="idea")
    assert _post(as_user("lise"), project, token=False).status_code == 400
    assert _score(project) is None


def test_concurrent_scores_conflict_and_the_first_stays(as_user, users):
    project = b.project(users, "Chatbot", stage="idea")
    b.score(project, users["lise"], 3, 3, 3, 3, 3)
    version = str(_score(project).version)
    lise, admin = as_user("lise"), as_user("admin")
    first = _post(lise, project, {"strategic_value": "1"}, version=version)
    assert first.status_code == 302
    second = _post(admin, project, {"strategic_value": "5"}, version=version)
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Noen andre har vurdert saken" in html
    assert re.search(r'id="strategic_value-4"[^>]*checked|checked[^>]*id="strategic_value-4"', html)  # typed kept
    assert _score(project).strategic_value == 1
    # Saving again on purpose overwrites.
    new_version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    assert _post(admin, project, {"strategic_value": "5"}, version=new_version).status_code == 302
    assert _score(project).strategic_value == 5
