"""Issue 15: the decision documents go to the kommune's archive as they are, so they are
written in the kommune's language (DEFAULT_LOCALE), whatever the owner reads the site in."""
from __future__ import annotations

from app.decisions.services import prepare
from app.extensions import db as _db
from app.workflow import Gate
from tests.gates.flow import as_user, decide, decisions_of, idea_with_pending_bp1  # noqa: F401
from tests.i18n.support import translated


def test_the_protocol_is_in_the_kommunes_language_when_the_owner_reads_english(app, users, as_user, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "nn")
    users["ola"].locale = "en"
    _db.session.commit()
    project = idea_with_pending_bp1(as_user("ida"), users)
    response = decide(as_user("ola"), project, "approve")
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    [decision] = decisions_of(project.id)

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        [(kind, html)] = prepare(project, Gate.BP1, decision)
    assert kind == "protocol"
    assert '<html lang="nn">' in html
    assert translated("nn", "Beslutningsprotokoll") in html
