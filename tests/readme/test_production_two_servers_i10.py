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
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, Path(self.log.name).read_text()[-2000:]
            try:
                if urllib.request.urlopen(self.url + "/healthz", timeout=5).status == 200:
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise AssertionError("gunicorn did not answer /healthz")

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
        subprocess.run(["psql", pg.libpq_url, "-At", "-c",
                        "insert into notification_preference (user_id, topic, delivery, updated_at) "
                        "select id, 'outcomes', 'immediate', now() from \"user\" where username = 'ida'"],
                       check=True, capture_output=True)
        # ola decides the waiting BP1 on both servers at the same moment: one winner.
        status, html, _h = send(a.url + "/projects", cookie)
        gate_pages = []
        for site_ in sites:
            project_id = _waiting_bp1(site_, cookie)
            status, html, headers = send(f"{site_.url}/projects/{project_id}/gates/BP1", cookie)
            if headers.get("Set-Cookie"):  # the session now holds the CSRF secret
                cookie = headers["Set-Cookie"].split(";")[0]
            form = next(f for f in forms_of(html) if f["action"].endswith("/gates/BP1/decide"))
            gate_pages.append((site_, form))
        replies = [None, None]
        barrier = threading.Barrier(2)

        def decide(i, decision):
            site_, form = gate_pages[i]
            data = form_data(form)
            data["decision"] = [decision]
            data["comment"] = [f"Avgjort på server {i + 1}"]
            data["confirm_owner"] = ["y"]
            barrier.wait()
            replies[i] = send(site_.url + form["action"], cookie, data)[0]

        threads = [threading.Thread(target=decide, args=(0, "approve")),
                   threading.Thread(target=decide, args=(1, "reject"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        # One decision stands; the other is refused (409, or 422 once the request is closed).
        assert sorted(replies)[0] in (302, 303) and sorted(replies)[1] in (409, 422), replies

        # Both servers (and cron) send what is queued; each mail arrives once.
        for _ in sites:
            if True:
                subprocess.run(["bash", "-c", _fill(upgrade, pg.url).replace("db upgrade", "mail send --now")],
                               cwd=ROOT, env=env, capture_output=True)
        mails = smtp.wait_for(1, timeout=20)
        time.sleep(2)
        mails = list(smtp.messages)
        seen = collections.Counter((tuple(m.rcpt_tos), m.subject, m.message["Message-ID"]) for m in mails)
        assert mails and max(seen.values()) == 1, seen
        queued = subprocess.run(["psql", pg.libpq_url, "-At", "-c",
                                 "select status, count(*) from outbox_mail group by status"],
                                capture_output=True, text=True).stdout
        assert "queued" not in queued and "failed" not in queued, queued
        assert f"sent|{len(mails)}" in queued, (queued, len(mails))
    finally:
        for site_ in sites:
            site_.stop()


def _waiting_bp1(site: Site, cookie: str) -> int:
    """The project whose BP1 request waits for the signed-in owner (from Mitt)."""
    html = send(site.url + "/", cookie)[1]
    ids = re.findall(r'/projects/(\d+)/gates/BP1', html)
    assert ids, "no BP1 waiting on the front page"
    return int(ids[0])
