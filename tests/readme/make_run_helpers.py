"""Running `make run` as a reader would, and talking to the site it serves over HTTP.

`MakeRun` starts `make run` in the repository with a free PORT, a temporary SQLite
DATABASE_URL and the settings a README example gives, in a process group of its own,
waits until the site answers, and stops exactly that group afterwards. `Browser` is a
tiny cookie-keeping HTTP client that signs in through the real form (CSRF included).
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import shlex
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
#: first run installs nothing new, but `make setup` still runs npm ci and the migrations
START_TIMEOUT = 240.0
#: variables the caller's environment must not leak into a reader's `make run`
CLEARED = ("FASEPORT_ENV", "DATABASE_URL", "TEST_DATABASE_URL", "SECRET_KEY", "PORT",
           "FLASK_APP", "FLASK_DEBUG", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def readme_block(heading_text: str, contains: str) -> str:
    """The first ```sh block after a line containing `heading_text` that contains `contains`."""
    text = README.read_text(encoding="utf-8")
    start = text.index(heading_text)
    for match in re.finditer(r"```sh\n(.*?)```", text[start:], re.S):
        if contains in match.group(1):
            return match.group(1)
    raise AssertionError(f"no ```sh block with {contains!r} after {heading_text!r} in README.md")


def readme_settings(block: str) -> tuple[dict[str, str], str]:
    """The `VAR=value` assignments before the command of a README block, and the command.

    The block is shell: line continuations are joined and shlex splits it as bash would.
    """
    words = shlex.split(block.replace("\\\n", " "))
    settings: dict[str, str] = {}
    while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
        name, _eq, value = words.pop(0).partition("=")
        settings[name] = value
    return settings, " ".join(words)


class MakeRun:
    """`make run` with `settings` in the environment, as `VAR=… make run` would."""

    def __init__(self, settings: dict[str, str], database_url: str, log_path: Path,
                 port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = {key: value for key, value in os.environ.items()
               if key not in CLEARED and not key.startswith("LDAP_")}
        env.update(settings)
        env.update(PORT=str(self.port), DATABASE_URL=database_url)
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self) -> MakeRun:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            ["make", "run"], cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        log.close()
        return self

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"make run exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise AssertionError(f"make run did not serve within {START_TIMEOUT} s:\n{self.output()}")

    def run_to_end(self, timeout: float = START_TIMEOUT) -> int:
        """For a `make run` that is expected to stop by itself (a wrong setting)."""
        self.start()
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.stop()

    def output(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop make and the flask server it started (their own process group only)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def __enter__(self) -> MakeRun:
        self.start()
        try:
            self.wait_until_serving()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class Browser:
    """Cookies, the CSRF token and the sign-in form, over real HTTP."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())

    def get(self, path: str) -> tuple[int, str, dict]:
        return self._open(urllib.request.Request(self.base_url + path))

    def post(self, path: str, data: dict) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=body, method="POST"))

    def sign_in(self, username: str, password: str) -> tuple[int, str, dict]:
        _status, html, _headers = self.get("/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert token, "the sign-in page has no CSRF token"
        return self.post("/login", {"username": username, "password": password,
                                    "csrf_token": token.group(1)})

    def _open(self, request) -> tuple[int, str, dict]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
