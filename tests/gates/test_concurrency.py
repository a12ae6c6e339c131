"""Races settled by the database, with real concurrent HTTP requests.

The app runs in werkzeug's threaded server (tests/support/live_server.py) on the test
database (a SQLite file, or PostgreSQL under tests.support.postgres). Each "tab" is a plain
urllib client carrying the browser's session cookie and the CSRF token its own page gave
it; a threading.Barrier releases the two POSTs at the same moment. Every race is run
several times, since one lucky ordering proves little.
"""
from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pytest

from app.models import Project
from tests.gates.flow import (BrowserClient, decision_fields, decisions_of, fresh, gate_url,
                              idea_with_pending_bp1, make_project, requests_of)
from tests.support.factories import CSRF_RE, login_as
from tests.support.live_server import live_server  # noqa: F401 - the fixture

ROUNDS = 5
#: seconds a racing request may take; the database's busy timeout is 15 s
TIMEOUT = 30


@dataclass
class Reply:
    status: int
    body: str
    location: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 302 is the answer we want to see
        return None


class Browser:
    """One signed-in browser: the session cookie its tabs share."""

    def __init__(self, app, server, user):
        client = BrowserClient(app, app.response_class, use_cookies=True)
        login_as(client, user)
        client.get("/")  # the session now holds its CSRF secret; tabs only read it
        self.cookie = f"{app.config['SESSION_COOKIE_NAME']}={client.get_cookie(app.config['SESSION_COOKIE_NAME']).value}"
        self.base = server.url
        self._opener = urllib.request.build_opener(_NoRedirect)

    def tab(self, path: str) -> Tab:
        """Open a page in a new tab: it keeps the page's CSRF token and HTML."""
        reply = self.send("GET", path)
        assert reply.status == 200, reply
        return Tab(self, path, reply.body, CSRF_RE.search(reply.body).group(1))

    def send(self, method: str, path: str, data: dict | None = None, token: str | None = None) -> Reply:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method,
                                         headers={"Cookie": self.cookie})
        try:
            with self._opener.open(request, timeout=TIMEOUT) as response:
                return Reply(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(), error.headers.get("Location", ""))


@dataclass
class Tab:
    browser: Browser
    path: str
    html: str
    csrf: str

    def post(self, path: str, data: dict) -> Reply:
        return self.browser.send("POST", path, {**data, "csrf_token": self.csrf})


def race(*calls) -> list[Reply]:
    """Run the calls in threads released together by a barrier; their replies in order."""
    barrier = threading.Barrier(len(calls))
    replies: list = [None] * len(calls)
    errors: list = []

    def run(i, call):
        try:
            barrier.wait(timeout=TIMEOUT)
            replies[i] = call()
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT + 5)
    assert not errors, errors
    assert all(r is not None for r in replies), "a racing request never answered"
    return replies


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture()
def server(live_server, db):  # noqa: F811 - the imported fixture
    # The test's own session must not sit in a transaction while the server works.
    db.session.rollback()
    return live_server


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_tabs_deciding_the_same_gate_record_exactly_one_decision(app, db, server, as_user, users,
                                                                     round_):
    project = idea_with_pending_bp1(as_user("ida"), users)
    db.session.rollback()
    ola = Browser(app, server, users["ola"])
    url = gate_url(project)
    first, second = ola.tab(url), ola.tab(url)
    approve = {"decision": "approve", "comment": "", "confirm_owner": "y", "manager_username": "kari",
               "answer-fits_strategy": "ja", "answer-is_project": "ja", **decision_fields(first.html)}
    reject = {"decision": "reject", "comment": "For dyrt.", **decision_fields(second.html)}

    replies = race(lambda: first.post(f"{url}/decide", approve),
                   lambda: second.post(f"{url}/decide", reject))

    assert sorted(r.status for r in replies) == [302, 409], [(r.status, text_of(r.body)[:300]) for r in replies]
    [decision] = decisions_of(project.id)
    winner = decision.decision
    [req] = requests_of(project.id)
    assert req.status == {"approve": "approved", "reject": "rejected"}[winner]
    assert fresh(Project, project.id).stage == {"approve": "concept", "reject": "rejected"}[winner]
    # The loser is told, in Norwegian, what was decided.
    loser = next(r for r in replies if r.status == 409)
    verb = {"approve": "godkjente", "reject": "avviste"}[winner]
    assert f"Beslutningen er allerede tatt: Ola Nordmann {verb} BP1" in text_of(loser.body)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_double_click_on_be_om_godkjenning_opens_one_request(app, db, server, as_user, users, round_):
    project = make_project(users)  # BP1 asked for again on the gate page (after a return)
    db.session.rollback()
    ida = Browser(app, server, users["ida"])
    url = gate_url(project)
    first, second = ida.tab(url), ida.tab(url)
    assert f'action="{url}/request"' in first.html

    replies = race(lambda: first.post(f"{url}/request", {"summary": "Første klikk"}),
                   lambda: second.post(f"{url}/request", {"summary": "Andre klikk"}))

    assert sorted(r.status for r in replies) == [302, 409], [(r.status, text_of(r.body)[:300]) for r in replies]
    [req] = requests_of(project.id)
    assert req.status == "pending"
    loser = next(r for r in replies if r.status == 409)
    assert "Ida Berg ba om godkjenning av BP1" in text_of(loser.body)
    assert "venter allerede på prosjekteier" in text_of(loser.body)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_withdraw_racing_the_owners_decision_leaves_one_consistent_outcome(app, db, server, as_user,
                                                                           users, round_):
    project = idea_with_pending_bp1(as_user("ida"), users)
    db.session.rollback()
    ida, ola = Browser(app, server, users["ida"]), Browser(app, server, users["ola"])
    overview = f"/projects/{project.id}"
    withdraw_tab, decide_tab = ida.tab(overview), ola.tab(gate_url(project))
    approve = {"decision": "approve", "comment": "", "confirm_owner": "y", "manager_username": "kari",
               "answer-fits_strategy": "ja", "answer-is_project": "ja", **decision_fields(decide_tab.html)}

    replies = race(lambda: withdraw_tab.post(f"{overview}/withdraw", {"comment": "Trekker."}),
                   lambda: decide_tab.post(f"{gate_url(project)}/decide", approve))

    withdrawn, decided = (r.status for r in replies)
    assert {withdrawn, decided} <= {302, 409} and 302 in (withdrawn, decided), \
        [(r.status, text_of(r.body)[:300]) for r in replies]
    project = fresh(Project, project.id)
    [req] = requests_of(project.id)
    decisions = decisions_of(project.id)
    if decided == 302:
        # The decision came first; a withdrawal read after it may still withdraw the
        # concept, but it never undoes or overwrites the recorded decision.
        assert req.status == "approved" and [d.decision for d in decisions] == ["approve"]
        assert project.stage == ("withdrawn" if withdrawn == 302 else "concept")
    else:
        assert (withdrawn, project.stage, req.status, decisions) == (302, "withdrawn", "withdrawn", [])
        message = text_of(replies[1].body)
        assert "Prosjektet er trukket av innsenderen." in message, message
