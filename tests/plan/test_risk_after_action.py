"""Risks after their action (issue 14): a score after action above the score before needs
a comment, and the matrix can show the risks before or after their actions."""
from __future__ import annotations

import re

from app.extensions import db
from app.models.risk import Risk
from tests.plan.core_helpers import browser, cast, events, field_errors, make_project, post, project  # noqa: F401
from tests.plan.test_risks import add_risk, risk_data, url
from tests.portfolio.test_sort_keys_migration import fresh_url  # noqa: F401 - the fixture

WORSE = "Skåren etter tiltak (20) er høyere enn før (12). Skriv hvorfor."


def test_a_higher_score_after_action_needs_a_comment_beside_the_field(browser, project):
    data = risk_data(probability="3", consequence="4", probability_after="4", consequence_after="5")
    response = post(browser("kari"), url(project), data, page=url(project))
    assert response.status_code == 422
    assert field_errors(response) == [WORSE]
    html = response.get_data(as_text=True)
    # The message is the comment field's own, read with it, and what was typed is kept.
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*new_after_comment-error', html) or \
        re.search(r'<textarea[^>]*new_after_comment-error[^>]*aria-invalid="true"', html)
    assert '<option selected value="5">' in html
    assert db.session.scalar(db.select(db.func.count(Risk.id))) == 0

    data["new_after_comment"] = "Tiltaket flytter arbeid til nattevakten, som er færre."
    response = post(browser("kari"), url(project), data, page=url(project))
    assert response.status_code == 303
    r = db.session.scalars(db.select(Risk)).one()
    assert (r.score, r.score_after, r.after_comment) == (12, 20, "Tiltaket flytter arbeid til nattevakten, som er færre.")
    assert "Tiltaket flytter arbeid til nattevakten" in browser("ola").get(url(project)).get_data(as_text=True)
    [event] = events(project.id, "risk.created")


def test_a_lower_or_equal_score_after_action_needs_no_comment(browser, project):
    response = post(browser("kari"), url(project),
                    risk_data(probability="3", consequence="4", probability_after="4", consequence_after="3"),
                    page=url(project))
    assert response.status_code == 303


def test_editing_to_a_worse_score_after_is_refused_with_htmx_too(browser, project):
    r = add_risk(project, probability=2, consequence=2)
    client = browser("kari", htmx=True)
    data = risk_data(prefix=f"r{r.id}_", probability="2", consequence="2", probability_after="3",
                     consequence_after="3")
    data[f"r{r.id}_version"] = str(r.version)
    response = post(client, url(project, f"/{r.id}"), data, page=url(project))
    assert response.status_code == 422
    assert field_errors(response) == ["Skåren etter tiltak (9) er høyere enn før (4). Skriv hvorfor."]
    db.session.refresh(r)
    assert r.probability_after is None


def test_the_matrix_shows_the_risks_before_or_after_their_actions(browser, project):
    add_risk(project, probability=4, consequence=5, probability_after=2, consequence_after=4)
    add_risk(project, description="Uten vurdering etter tiltak", probability=3, consequence=3)
    client = browser("ola")
    before = client.get(url(project)).get_data(as_text=True)
    after = client.get(url(project, "?vis=etter")).get_data(as_text=True)
    assert "Risikomatrise: før tiltak" in before and "Risikomatrise: etter tiltak" in after
    assert "1 Høy: risiko med sannsynlighet 4 og konsekvens 5" in before
    assert "risiko med sannsynlighet 2 og konsekvens 4" not in before
    assert "1 Middels: risiko med sannsynlighet 2 og konsekvens 4" in after
    assert "risiko med sannsynlighet 4 og konsekvens 5" not in after
    # Without an assessment after action a risk stays where it is.
    assert "1 Middels: risiko med sannsynlighet 3 og konsekvens 3" in before
    assert "1 Middels: risiko med sannsynlighet 3 og konsekvens 3" in after
    # A cell of the after view lists the risks that end up there.
    listed = client.get(url(project, "?vis=etter&p=2&c=4")).get_data(as_text=True)
    assert "Leverandøren leverer for sent" in listed and "Uten vurdering etter tiltak" not in listed


def test_the_tab_in_the_after_view_asks_for_the_after_view_with_every_htmx_request(browser, project):
    """«Etter tiltak» is kept by htmx edits: the tab sends vis=etter with its requests
    (hx-vals), and the matrix an edit or a deletion redraws is then the after one."""
    r = add_risk(project, probability=4, consequence=5, probability_after=2, consequence_after=4)
    after = browser("kari").get(url(project, "?vis=etter")).get_data(as_text=True)
    assert """<div class="plan-b" hx-vals='{"vis": "etter"}'>""" in after
    assert "hx-vals" not in browser("kari").get(url(project)).get_data(as_text=True)

    client = browser("kari", htmx=True)
    data = risk_data(prefix=f"r{r.id}_", probability="4", consequence="4", probability_after="2",
                     consequence_after="3")
    data[f"r{r.id}_version"] = str(r.version)
    redrawn = post(client, url(project, f"/{r.id}"), {**data, "vis": "etter"}, page=url(project)).get_data(as_text=True)
    assert "Risikomatrise: etter tiltak" in redrawn
    assert "1 Middels: risiko med sannsynlighet 2 og konsekvens 3" in redrawn
    data[f"r{r.id}_version"] = str(r.version + 1)
    redrawn = post(client, url(project, f"/{r.id}"), {**data, f"r{r.id}_consequence": "5"},
                   page=url(project)).get_data(as_text=True)
    assert "Risikomatrise: før tiltak" in redrawn  # the before view, when it was the one shown
    added = post(client, url(project), {**risk_data(), "vis": "etter"}, page=url(project)).get_data(as_text=True)
    assert "Risikomatrise: etter tiltak" in added
    gone = post(client, url(project, f"/{r.id}/delete"), {"vis": "etter"}, page=url(project)).get_data(as_text=True)
    assert "Risikomatrise: etter tiltak" in gone


def test_the_migration_adds_the_comment_and_its_downgrade_takes_it_away(fresh_url):
    """0017 on a database of its own (SQLite, and PostgreSQL under tests.support.postgres)."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from app.extensions import db as _db
    from tests.portfolio.test_sort_keys_migration import _app, _columns

    app = _app(fresh_url)
    with app.app_context():
        upgrade(revision="0017")
        with _db.engine.connect() as conn:
            assert "after_comment" in _columns(conn, "risk")
        downgrade(revision="0016")
        with _db.engine.connect() as conn:
            assert "after_comment" not in _columns(conn, "risk")
            assert "probability_after" in _columns(conn, "risk")
        upgrade()
        with _db.engine.begin() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM risk")).scalar_one() == 0
        _db.engine.dispose()
