"""A throwaway PostgreSQL server for the test suite.

Command line (used by `make test-postgres`)::

    python -m tests.support.postgres -- python -m pytest -m "not sqlite_only"

creates a cluster in a temporary directory, starts it on 127.0.0.1 on a free port,
creates the role ``faseport`` (password ``faseport``) and its database ``faseport_test``,
runs the command with ``TEST_DATABASE_URL=postgresql+psycopg://…`` (plus the libpq
variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE so that a bare ``psql`` works),
then stops the server and deletes the directory, also on Ctrl-C or failure, and exits
with the command's exit code. Without a command it prints the URL and waits for Ctrl-C.

From Python::

    with running_postgres() as url:   # "postgresql+psycopg://faseport:…@127.0.0.1:…/faseport_test"
        ...

Run as root, the server runs as the ``postgres`` OS user (PostgreSQL refuses root).
Only the standard library is used, so this module is safe to import anywhere.
"""
from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

#: the application's role and database inside the throwaway cluster
DB_USER = "faseport"
DB_PASSWORD = "faseport"
DB_NAME = "faseport_test"
#: the cluster's superuser (local socket, trust); only used to create the above
SUPERUSER = "postgres"
#: OS user the server runs as when we are root
OS_USER = "postgres"
#: seconds to wait for the server to accept connections
START_TIMEOUT = 30.0


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server programs are not installed (or cannot be run)."""


def find_bindir() -> Path | None:
    """The newest PostgreSQL server bin directory, or None.

    Looks at $PG_BINDIR, then Debian's /usr/lib/postgresql/<version>/bin, then `initdb`
    and `pg_config --bindir` on PATH.
    """
    override = os.environ.get("PG_BINDIR")
    if override:
        return Path(override) if (Path(override) / "initdb").is_file() else None

    def version(path: str) -> tuple[int, ...]:
        match = re.search(r"/postgresql/([\d.]+)/bin/", path)
        return tuple(int(p) for p in match.group(1).split(".")) if match else (0,)

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        bindir = Path(out.stdout.strip())
        if (bindir / "initdb").is_file() and (bindir / "postgres").is_file():
            return bindir
    return None


def libpq_url(url: str) -> str:
    """The same URL for libpq tools (psql, psycopg.connect): without ``+psycopg``."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    """One throwaway cluster. Use `start()` / `stop()` or `running_postgres()`."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        if self.bindir is None:
            raise PostgresUnavailable(
                "PostgreSQL server programs not found (no /usr/lib/postgresql/*/bin/initdb); "
                "run `bash scripts/install_test_deps.sh` or set PG_BINDIR"
            )
        self.dir: Path | None = None
        self.port: int | None = None
        self._proc: subprocess.Popen | None = None
        self._as_root = hasattr(os, "geteuid") and os.geteuid() == 0

    # --- paths and URLs -------------------------------------------------------------
    @property
    def datadir(self) -> Path:
        return self.dir / "data"

    @property
    def socketdir(self) -> Path:
        return self.dir / "sock"

    @property
    def logfile(self) -> Path:
        return self.dir / "postgres.log"

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the test database (psycopg 3 driver)."""
        return (f"postgresql+psycopg://{DB_USER}:{DB_PASSWORD}@127.0.0.1:{self.port}/{DB_NAME}")

    @property
    def libpq_url(self) -> str:
        """The same for psql / psycopg.connect."""
        return libpq_url(self.url)

    def env(self) -> dict[str, str]:
        """Environment variables for a child process that should use this database."""
        return {
            "TEST_DATABASE_URL": self.url,
            "PGHOST": "127.0.0.1",
            "PGPORT": str(self.port),
            "PGUSER": DB_USER,
            "PGPASSWORD": DB_PASSWORD,
            "PGDATABASE": DB_NAME,
        }

    # --- life cycle -----------------------------------------------------------------
    def _run_as_server_user(self) -> dict:
        """Popen keyword arguments that drop root to the postgres OS user."""
        if not self._as_root:
            return {}
        return {"user": OS_USER, "group": _primary_group(OS_USER), "extra_groups": []}

    def _server_env(self) -> dict[str, str]:
        # A clean, predictable environment: no PG* variables of the caller leak in.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC")
        if self._as_root:
            env.update(HOME=str(self.dir), USER=OS_USER, LOGNAME=OS_USER)
        return env

    def start(self) -> str:
        """Create and start the cluster; return its URL. Cleans up if anything fails."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self.url

    def _start(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="faseport-pg-"))
        self.socketdir.mkdir()
        if self._as_root:
            _chown_tree(self.dir, OS_USER)

        pwfile = self.dir / "superuser.pw"  # initdb wants one with --auth-host=scram
        pwfile.write_text(DB_PASSWORD + "\n")
        if self._as_root:
            _chown_tree(pwfile, OS_USER)
        self._check_call(
            [self.bindir / "initdb", "-D", self.datadir, "-U", SUPERUSER,
             "--pwfile", pwfile, "--auth-local=trust", "--auth-host=scram-sha-256",
             "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"],
            "initdb",
        )
        pwfile.unlink()

        for attempt in range(3):  # the free port may be taken between choosing and binding
            self.port = _free_port()
            if self._launch():
                break
            if attempt == 2 or "could not bind" not in self._log_tail():
                raise RuntimeError("PostgreSQL did not start:\n" + self._log_tail())

        self._psql(f"CREATE ROLE {DB_USER} LOGIN CREATEDB PASSWORD '{DB_PASSWORD}'")
        self._psql(f"CREATE DATABASE {DB_NAME} OWNER {DB_USER}")

    def _launch(self) -> bool:
        """Start the postmaster on self.port; True once it accepts connections."""
        log = open(self.logfile, "ab")
        try:
            if self._as_root:
                _chown_tree(self.logfile, OS_USER)
            self._proc = subprocess.Popen(
                [str(self.bindir / "postgres"), "-D", str(self.datadir),
                 "-p", str(self.port),
                 "-c", "listen_addresses=127.0.0.1",
                 "-c", f"unix_socket_directories={self.socketdir}",
                 # A test database: speed over durability.
                 "-c", "fsync=off", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off",
                 "-c", "max_connections=100", "-c", "shared_buffers=32MB",
                 "-c", "logging_collector=off", "-c", "log_min_messages=warning"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                cwd=self.dir, env=self._server_env(),
                # Own session: a Ctrl-C in the terminal must not kill the server before
                # the tests have finished with it; we stop it ourselves.
                start_new_session=True,
                **self._run_as_server_user(),
            )
        finally:
            log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None
                return False
            ready = subprocess.run(
                [self.bindir / "pg_isready", "-q", "-h", self.socketdir, "-p", str(self.port),
                 "-U", SUPERUSER, "-d", "postgres"],
                env=self._server_env(),
            )
            if ready.returncode == 0:
                return True
            time.sleep(0.05)
        raise RuntimeError(f"PostgreSQL not ready after {START_TIMEOUT}s:\n" + self._log_tail())

    def _psql(self, sql: str) -> None:
        self._check_call(
            [self.bindir / "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
             "-h", self.socketdir, "-p", str(self.port), "-U", SUPERUSER, "-d", "postgres",
             "-c", sql],
            "psql",
        )

    def _check_call(self, cmd: list, what: str) -> None:
        result = subprocess.run(
            [str(c) for c in cmd], capture_output=True, text=True, cwd=self.dir,
            env=self._server_env(), **self._run_as_server_user(),
        )
        if result.returncode != 0:
            raise RuntimeError(f"{what} failed ({result.returncode}):\n{result.stdout}{result.stderr}")

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except (OSError, TypeError):
            return "(no server log)"

    def stop(self) -> None:
        """Stop the server (fast shutdown, then harder) and delete the directory."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            for sig, wait in ((signal.SIGINT, 10), (signal.SIGQUIT, 5), (signal.SIGKILL, 5)):
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(sig)  # SIGINT = PostgreSQL's "fast" shutdown
                try:
                    proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> PostgresCluster:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _primary_group(user: str) -> int:
    import pwd
    return pwd.getpwnam(user).pw_gid


def _chown_tree(path: Path, user: str) -> None:
    import pwd
    entry = pwd.getpwnam(user)
    for p in [path, *(path.rglob("*") if path.is_dir() else [])]:
        os.chown(p, entry.pw_uid, entry.pw_gid)


@contextlib.contextmanager
def running_postgres(bindir: Path | None = None) -> Iterator[str]:
    """Start a throwaway server for the duration of the block; yield its SQLAlchemy URL.

    Raises PostgresUnavailable when the server programs are not installed.
    """
    with PostgresCluster(bindir) as cluster:
        yield cluster.url


# --- command line -------------------------------------------------------------------
class _Terminated(Exception):
    """SIGTERM / SIGHUP reached the runner."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum, frame):
    raise _Terminated(signum)


def _run_child(cmd: list[str], env: dict[str, str]) -> int:
    """Run the command; pass SIGTERM/SIGHUP on; return a shell-style exit code."""
    child = subprocess.Popen(cmd, env=env)
    while True:
        try:
            code = child.wait()
            break
        except KeyboardInterrupt:
            # The terminal sent SIGINT to the whole foreground group, the child included:
            # give it time to finish (pytest prints its summary), then insist.
            try:
                code = child.wait(30)
                break
            except subprocess.TimeoutExpired:
                child.kill()
        except _Terminated as stop:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(stop.signum)
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
            child.wait()
            return 128 + stop.signum
    return 128 - code if code < 0 else code


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--"]:
        args = args[1:]
    if args[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    signal.signal(signal.SIGTERM, _raise_terminated)
    signal.signal(signal.SIGHUP, _raise_terminated)
    try:
        cluster = PostgresCluster()
    except PostgresUnavailable as exc:
        print(f"tests.support.postgres: {exc}", file=sys.stderr)
        return 1
    try:
        try:
            cluster.start()
        except Exception as exc:  # noqa: BLE001 - report and fail with a clear message
            print(f"tests.support.postgres: could not start PostgreSQL: {exc}", file=sys.stderr)
            return 1
        print(f"tests.support.postgres: PostgreSQL on 127.0.0.1:{cluster.port} "
              f"(in {cluster.dir}), TEST_DATABASE_URL={cluster.url}",
              file=sys.stderr, flush=True)
        env = {**os.environ, **cluster.env()}
        if not args:
            print("tests.support.postgres: no command given; Ctrl-C stops the server.",
                  file=sys.stderr, flush=True)
            try:
                while True:
                    time.sleep(3600)
            except (KeyboardInterrupt, _Terminated):
                return 0
        try:
            return _run_child(args, env)
        except FileNotFoundError as exc:
            print(f"tests.support.postgres: {exc}", file=sys.stderr)
            return 127
    except KeyboardInterrupt:
        return 130
    except _Terminated as stop:
        return 128 + stop.signum
    finally:
        # No second signal may interrupt the clean-up.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
