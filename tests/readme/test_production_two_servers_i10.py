"""The README's Production section, run as a reader would type it: `flask --app wsgi db
upgrade` and gunicorn with FASEPORT_ENV=prod against a PostgreSQL of the test's own, and
the two-server set-up (two gunicorn instances on different ports, one database): a
session and the sign-in limit work across both, a gate decision made on both at once has
one winner, and each queued e-mail reaches the mail server exactly once.

The commands are read from README.md; only the `…` placeholders (and the ports, which
must be free here) are filled in. LDAP_URL=demo: the README's production commands take any
directory, and the directory itself is tested against slapd elsewhere.
"""
from __future__ import annotations

import collections
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.pressure.demo import form_data, forms_of
from tests.support.postgres import PostgresCluster
from tests.support.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
#: seconds gunicorn may take to answer /healthz (its workers import the app; slow on a busy machine)
START_TIMEOUT = 180
#: queued mails waiting when the decisions are made (more than one sender run takes)
BACKLOG = 150
#: seconds the test's mail server takes per mail, so that the senders' runs overlap
SMTP_DELAY = 0.05
README = (ROOT / "README.md").read_text()


def _block_after(heading: str) -> str:
    section = README.split(heading, 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def _commands(block: str) -> list[str]:
    """The block's commands, continuation lines joined; `make setup` is done already."""
    joined = block.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip() and line.strip() != "make setup"]


def _fill(command: str, url: str, port: int | None = None) -> str:
    command = command.replace("postgresql+psycopg://…", url).replace("DATABASE_URL=…", f"DATABASE_URL={url}")
    command = command.replace("SECRET_KEY=…", "SECRET_KEY=readme-test-secret").replace("LDAP_URL=…", "LDAP_URL=demo")
    if port is not None:
        command = re.sub(r"--bind 127\.0\.0\.1:\d+", f"--bind 127.0.0.1:{port}", command)
    assert "…" not in command, command
    return command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """One gunicorn instance, started by the README's command in its own process group."""

    def __init__(self, command: str, port: int, env: dict):
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(f"/tmp/faseport-readme-{port}.log", "wb")
        self.proc = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, Path(self.log.name).read_text()[-2000:]
            try:
                if urllib.request.urlopen(self.url + "/healthz", timeout=5).status == 200:
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise AssertionError(f"gunicorn did not answer /healthz within {START_TIMEOUT} s")

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def send(url, cookie="", data=None):
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookie} if cookie else {})
    try:
        with OPENER.open(request, timeout=30) as r:
            return r.status, r.read().decode(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), e.headers


def sign_in(site: Site, username: str, password: str) -> tuple[int, str]:
    status, html, headers = send(site.url + "/login")
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    status, _html, headers = send(site.url + "/login", cookie,
                                  {"csrf_token": token, "username": username, "password": password})
    if headers.get("Set-Cookie"):
        cookie = headers["Set-Cookie"].split(";")[0]
    return status, cookie


@pytest.fixture()
def stack():
    with PostgresCluster() as pg, SmtpServer() as smtp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "TEST_DATABASE"))}
        env.update(MAIL_SERVER=smtp.host, MAIL_PORT=str(smtp.port), MAIL_FROM="Faseport <faseport@test.kommune.no>")
        yield pg, smtp, env


@pytest.mark.own_database
def test_readme_production_commands_and_two_servers_on_one_database(stack):
    pg, smtp, env = stack
    upgrade, serve = _commands(_block_after("## Production"))
    assert "db upgrade" in upgrade and "gunicorn" in serve
    done = subprocess.run(["bash", "-c", _fill(upgrade, pg.url)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    # Data to decide on: the demo's BP1 request waiting for ola.
    loaded = subprocess.run(["bash", "-c", _fill(upgrade, pg.url).replace("db upgrade", "demo load")],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr[-2000:]

    port = _free_port()
    site = Site(_fill(serve, pg.url, port), port, env)
    try:
        status, cookie = sign_in(site, "ida", "demo")
        assert status in (302, 303)
        status, html, headers = send(site.url + "/", cookie)
        assert status == 200 and "Ida Berg" in html
        assert "max-age=" in headers["Strict-Transport-Security"]
    finally:
        site.stop()

    first, second = _commands(_block_after("### Two servers on one database"))
    ports = [_free_port(), _free_port()]
    sites = [Site(_fill(cmd, pg.url, p), p, env) for cmd, p in zip((first, second), ports)]
    try:
        a, b = sites
        # A session started on one server is valid on the other.
        status, cookie = sign_in(a, "ola", "demo")
        assert status in (302, 303)
        assert "Ola Nordmann" in send(b.url + "/", cookie)[1]

        # The sign-in limit counts failures on both servers together (5 per username and address).
        for site_, n in ((a, 3), (b, 2)):
            for _ in range(n):
                assert sign_in(site_, "tor", "feil-passord")[0] == 401
        assert sign_in(b, "tor", "demo")[0] == 429
        assert sign_in(a, "tor", "demo")[0] == 429

        # ida wants the outcome of decisions by e-mail at once (the default is the morning
        # digest), so that the decision below queues a mail for the two servers to send.
        psql(pg, "insert into notification_preference (user_id, topic, delivery, updated_at) "
                 "select id, 'outcomes', 'immediate', now() from \"user\" where username = 'ida'")

        # A backlog in the outbox, as after a mail server outage, and a mail server that
        # takes a moment per mail: the senders below overlap for several seconds.
        psql(pg, "insert into outbox_mail (to_addr, to_name, subject, body, created_at, status, attempts, "
                 "last_error) select 'person' || n || '@test.kommune.no', 'Person ' || n, 'Etterslep ' || n, "
                 "'Sendt etter driftsstansen.', now() at time zone 'utc', 'queued', 0, '' "
                 f"from generate_series(1, {BACKLOG}) as n")
        smtp.delay = SMTP_DELAY

        # ola decides the waiting BP1 on both servers at the same moment, while cron runs
        # `flask mail send` on both machines: one decision, and every mail sent once.
        project_id = _waiting_bp1(a, cookie)
        gate = f"/projects/{project_id}/gates/BP1"
        forms = []
        for site_ in sites:
            _status, html, headers = send(site_.url + gate, cookie)
            if headers.get("Set-Cookie"):  # the session now holds the CSRF secret
                cookie = headers["Set-Cookie"].split(";")[0]
            forms.append(next(f for f in forms_of(html) if f["action"].endswith("/gates/BP1/decide")))
        # BP1's own questions are answered by the owner in the decision (issue 8).
        choices = [{"decision": ["approve"], "confirm_owner": ["y"], "manager_username": ["kari"],
                    "answer-fits_strategy": ["ja"], "answer-is_project": ["ja"],
                    "comment": ["Godkjent på server 1"]},
                   {"decision": ["reject"], "comment": ["Avvist på server 2"]}]
        cron = _fill(upgrade, pg.url).replace("db upgrade", "mail send --now")
        replies, crons = [None, None], [None, None]
        barrier = threading.Barrier(4)

        def decide(i):
            data = {**form_data(forms[i]), **choices[i]}
            barrier.wait()
            replies[i] = send(sites[i].url + forms[i]["action"], cookie, data)

        def run_cron(i):
            barrier.wait()
            crons[i] = subprocess.run(["bash", "-c", cron], cwd=ROOT, env=env, capture_output=True, text=True)

        threads = [threading.Thread(target=decide, args=(i,)) for i in (0, 1)]
        threads += [threading.Thread(target=run_cron, args=(i,)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert all(r is not None for r in replies) and all(c is not None for c in crons), (replies, crons)
        statuses = [r[0] for r in replies]
        assert sorted(statuses) == [302, 409], [(r[0], _text(r[1])[:400]) for r in replies]
        winner = statuses.index(302)
        verb = ("godkjente", "avviste")[winner]
        assert f"Beslutningen er allerede tatt: Ola Nordmann {verb} BP1" in _text(replies[1 - winner][1])
        rows = psql(pg, "select d.decision, r.status, p.stage from gate_decision d join gate_request r on "
                        f"r.id = d.request_id join project p on p.id = r.project_id where p.id = {project_id} "
                        "and r.gate = 'BP1'")
        assert rows == [("approve|approved|concept", "reject|rejected|rejected")[winner]], rows
        assert all(c.returncode == 0 for c in crons), [c.stderr[-1000:] for c in crons]

        # The winner's server sends after its request, and each cron run takes at most 100
        # mails: wait for the senders, let cron take what is left, and then every mail
        # must have arrived exactly once, with nothing left queued.
        _wait_until_still(lambda: psql(pg, "select count(*) from outbox_mail where status = 'queued' "
                                           "or claimed_until is not null"), timeout=120)
        last = subprocess.run(["bash", "-c", cron], cwd=ROOT, env=env, capture_output=True, text=True)
        assert last.returncode == 0, last.stderr[-1000:]
        assert psql(pg, "select status, count(*) from outbox_mail where status <> 'sent' group by status") == []
        time.sleep(1)  # a duplicate would arrive now, if any sender sent one twice
        sent = sorted(int(i) for i in psql(pg, "select id from outbox_mail"))
        received = collections.Counter(_outbox_id(m.message["Message-ID"]) for m in smtp.messages)
        assert len(sent) > BACKLOG and max(received.values()) == 1, received.most_common(3)
        assert sorted(received) == sent, (len(received), len(sent))
        assert any(m.subject.startswith("BP1 for ") and m.subject.endswith(verb) for m in smtp.messages), \
            [m.subject for m in smtp.messages if not m.subject.startswith("Etterslep")]
        # The senders really worked at the same time: two SMTP connections delivering in
        # overlapping spans (a sender keeps one connection for its run).
        spans = collections.defaultdict(list)
        for m in smtp.messages:
            spans[m.peer].append(m.received_at)
        busy = sorted((min(t), max(t)) for t in spans.values() if len(t) > 1)
        assert any(b[0] < a[1] for a, b in zip(busy, busy[1:])), (len(spans), busy)
    finally:
        for site_ in sites:
            site_.stop()


def _waiting_bp1(site: Site, cookie: str) -> int:
    """The project whose BP1 request waits for the signed-in owner (from Mitt)."""
    html = send(site.url + "/", cookie)[1]
    ids = re.findall(r'/projects/(\d+)/gates/BP1', html)
    assert ids, "no BP1 waiting on the front page"
    return int(ids[0])


def psql(pg, sql: str) -> list[str]:
    """The rows of one query against the test's own database, as psql prints them."""
    done = subprocess.run(["psql", pg.libpq_url, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


def _wait_until_still(read, timeout: float) -> None:
    """Until `read()` gives the same answer twice, one second apart (the senders are done)."""
    deadline = time.monotonic() + timeout
    before = read()
    while True:
        time.sleep(1)
        now = read()
        if now == before:
            return
        assert time.monotonic() < deadline, now
        before = now


def _outbox_id(message_id: str) -> int:
    """The outbox row a mail came from: Message-ID is <outbox.<id>.<created>@domain>."""
    return int(re.match(r"<outbox\.(\d+)\.", message_id).group(1))


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
