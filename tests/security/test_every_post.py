"""Every state-changing endpoint, found from the URL map rather than listed by hand:
without a CSRF token it refuses (400) and changes nothing; without a session it sends
the person to sign in and changes nothing. A new POST route is covered automatically."""
from __future__ import annotations

import pytest

from app.models import AuditEvent, Project
from tests.support.factories import csrf_token, login_as

#: values for the URL parts of the routes (ids of the project made below, or harmless ones)
URL_VALUES = {"gate_code": "BP1", "item_key": "fits_strategy", "role": "member", "kind": "effect",
              "section": "background"}


def post_rules(app):
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert len(rules) > 50  # the test sees the whole app, not an empty map
    return sorted(rules, key=lambda r: r.rule)


def url_for_rule(rule, project_id: int) -> str:
    values = {arg: URL_VALUES.get(arg, project_id if arg == "project_id" else 1) for arg in rule.arguments}
    return rule.build(values)[1]


@pytest.fixture()
def project(db, users):
    p = Project(title="Trygghetsalarmer", stage="idea", submitted_by=users["ida"], owner=users["ola"],
                need="Analoge alarmer slutter å virke når kobbernettet legges ned.")
    db.session.add(p)
    db.session.commit()
    return p


def _counts(db):
    db.session.expire_all()
    return (db.session.query(AuditEvent).count(), db.session.query(Project).count())


def test_every_post_without_csrf_token_is_refused_and_changes_nothing(app, client, db, users, project):
    login_as(client, users["admin"])  # the widest permissions: only the token is missing
    before = _counts(db)
    refused = {}
    for rule in post_rules(app):
        response = client.post(url_for_rule(rule, project.id), data={"title": "x"})
        refused[rule.endpoint] = response.status_code
    assert {e: c for e, c in refused.items() if c != 400} == {}
    assert _counts(db) == before


def test_every_post_without_a_session_changes_nothing(app, client, db, users, project):
    token = csrf_token(client, "/login")  # a valid token for an anonymous visitor
    before = _counts(db)
    answers = {}
    for rule in post_rules(app):
        if rule.endpoint == "auth.login":
            continue
        response = client.post(url_for_rule(rule, project.id), data={"csrf_token": token, "title": "x"})
        answers[rule.endpoint] = (response.status_code, response.headers.get("Location", ""))
    wrong = {e: a for e, a in answers.items()
             if not ((a[0] == 302 and "/login" in a[1]) or a[0] == 401)}
    assert wrong == {}
    assert _counts(db) == before
