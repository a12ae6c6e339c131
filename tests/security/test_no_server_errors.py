"""No 500 for any input a user can send: every route, fed junk as the most powerful user."""
from __future__ import annotations

import pytest

from app.models import Project
from tests.security.test_every_post import post_rules, url_for_rule
from tests.support.factories import csrf_token, login_as

JUNK_VALUES = ["", " ", "x" * 20000, "-1", "99999999999999999999999", "1.5", "NaN", "2026-13-45",
               "31.02.2026", "<script>alert(1)</script>", "' OR 1=1 --", "Ærlig Østlandsk Å", "\u202e",
               "*)(uid=*", "ja", "approve"]
FIELD_NAMES = ["title", "description", "value", "comment", "version", "probability", "consequence",
               "probability_after", "consequence_after", "due_date", "done_date", "date", "measured_on",
               "budget_nok", "start_date", "end_date", "decision", "postpone_until", "summary",
               "owner_username", "manager_username", "username", "status", "kind", "assignee",
               "assignee_id", "text", "name", "interest", "influence", "channel", "strategy",
               "request_id", "request_version", "dpia_status", "baseline", "target", "unit",
               "indicator", "archive_ref", "related_project_id", "q", "page", "per_page", "stage",
               "score", "strategic_value", "risk", "period", "progress", "cost", "quality",
               "benefits", "overall_comment", "action", "confirm_owner", "restricted", "query"]


@pytest.fixture()
def projects(db, users):
    made = []
    for stage in ("idea", "concept", "planning", "execution", "handover", "realisation"):
        p = Project(title=f"Prosjekt i {stage}", stage=stage, submitted_by=users["ida"],
                    owner=users["ola"], manager=users["kari"] if stage != "idea" else None,
                    need="Et behov som er beskrevet godt nok for sjekklisten.")
        db.session.add(p)
        made.append(p)
    db.session.commit()
    return made


@pytest.mark.parametrize("junk", JUNK_VALUES[:6])
def test_posting_junk_everywhere_never_gives_a_server_error(app, client, db, users, projects, junk):
    login_as(client, users["admin"])
    token = csrf_token(client)
    errors = {}
    for project in projects[::3]:  # idea and execution: the two ends of the rules
        for rule in post_rules(app):
            if rule.endpoint == "auth.logout":
                continue
            data = {name: junk for name in FIELD_NAMES}
            data["csrf_token"] = token
            response = client.post(url_for_rule(rule, project.id), data=data)
            if response.status_code >= 500:
                errors[(rule.endpoint, project.stage)] = response.status_code
    assert errors == {}


def test_getting_every_page_with_junk_query_strings_never_gives_a_server_error(app, client, db, users, projects):
    login_as(client, users["admin"])
    errors = {}
    get_rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    for rule in get_rules:
        for junk in JUNK_VALUES:
            url = url_for_rule(rule, projects[2].id)
            response = client.get(url, query_string={name: junk for name in FIELD_NAMES[:30]} | {
                "sort": junk, "dir": junk, "field": junk, "edit": junk, "p": junk, "c": junk})
            response.get_data()  # a streamed export fails while it is read, not before
            response.close()
            if response.status_code >= 500:
                errors.setdefault(rule.endpoint, []).append(junk[:20])
    assert errors == {}
