"""README, "Start it": `DATABASE_URL=postgresql+psycopg://… make run`, typed as a reader
would, against a throwaway PostgreSQL of the test's own (tests/support/postgres.py): the
site is served on a free PORT, `ida` / `demo` signs in over HTTP, and a second `make run`
leaves the data as it was.

The command is read from README.md; only the `…` of its address (and the port, which must
be free here) is filled in.
"""
from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.postgres import PostgresCluster

ROOT = Path(__file__).resolve().parents[2]
#: `make run` sets up first (pip, npm ci, migrations, demo data): slow on a busy machine
START_TIMEOUT = 300
#: what a reader's shell would not have: the test run's own settings
CLEARED = ("FASEPORT_ENV", "DATABASE_URL", "TEST_DATABASE_URL", "SECRET_KEY", "PORT", "FLASK_APP",
           "FLASK_DEBUG", "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAIL_SERVER")
#: the demo's own records; signing in adds sessions and audit rows, nothing here
DEMO_TABLES = ("project", "gate_request", "gate_decision", "risk", "benefit", "milestone",
               "stakeholder", "status_report", "outbox_mail")


def _readme_command() -> tuple[dict[str, str], str]:
    """The settings and the command of the README's PostgreSQL `make run` block."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Start it: `make run`", 1)[1].split("\n## ", 1)[0]
    block = next(b for b in re.findall(r"```sh\n(.*?)```", section, re.S) if "postgresql" in b)
    words = shlex.split(block.replace("\\\n", " "))
    settings = {}
    while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
        name, _eq, value = words.pop(0).partition("=")
        settings[name] = value
    return settings, " ".join(words)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MakeRun:
    """`make run` in the repository, in a process group of its own."""

    def __init__(self, command: str, settings: dict[str, str], log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {k: v for k, v in os.environ.items()
               if k not in CLEARED and not k.startswith(("PG", "LDAP_"))}
        env.update(settings, PORT=str(self.port))
        with open(log, "ab") as out:
            self.process = subprocess.Popen(shlex.split(command), cwd=ROOT, env=env, stdout=out,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"make run stopped:\n{self.output()[-3000:]}"
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=5) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        raise AssertionError(f"make run did not serve within {START_TIMEOUT} s:\n{self.output()[-3000:]}")

    def stop(self) -> None:
        """Stop make and the flask server it started: its own process group, nothing else."""
        for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            if self.process.poll() is not None:
                return
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(wait)
                return
            except ProcessLookupError:
                return
            except subprocess.TimeoutExpired:
                continue

    def __enter__(self) -> MakeRun:
        try:
            self.wait_until_serving()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(url: str, username: str, password: str) -> tuple[int, str]:
    """Through the sign-in form, CSRF token included; the status and the front page."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    html = opener.open(url + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"username": username, "password": password, "csrf_token": token})
    try:
        status = opener.open(url + "/login", data=body.encode(), timeout=30).status
    except urllib.error.HTTPError as error:
        status = error.code
    front = opener.open(url + "/", timeout=30).read().decode()
    return status, front


def counts(pg: PostgresCluster) -> dict[str, int]:
    sql = " union all ".join(f"select '{t}', count(*) from {t}" for t in DEMO_TABLES)
    done = subprocess.run(["psql", pg.libpq_url, "-X", "-At", "-F", "=", "-c", sql],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return {name: int(n) for name, n in (line.split("=") for line in done.stdout.split())}


@pytest.mark.own_database
def test_make_run_on_postgresql_serves_the_demo_and_a_second_run_changes_nothing(tmp_path):
    settings, command = _readme_command()
    assert command == "make run"
    assert settings["DATABASE_URL"].startswith("postgresql+psycopg://"), settings
    with PostgresCluster() as pg:
        settings["DATABASE_URL"] = pg.url

        with MakeRun(command, settings, tmp_path / "first.log") as site:
            status, front = sign_in(site.url, "ida", "demo")
            assert status == 302, site.output()[-3000:]
            assert "Ida Berg" in front
            assert "Demodata lastet." in site.output()
        first = counts(pg)
        assert first["project"] >= 20 and first["gate_decision"] >= 1, first

        with MakeRun(command, settings, tmp_path / "second.log") as again:
            assert "Demodata finnes allerede; ingenting endret." in again.output()
            status, front = sign_in(again.url, "ola", "demo")
            assert status == 302 and "Ola Nordmann" in front
        assert counts(pg) == first
