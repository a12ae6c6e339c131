"""`make bench`, CPU time on PostgreSQL: the database server's share of a request.

On SQLite the database works inside the measured process, so its CPU time
(time.process_time) is the whole cost of a page. On PostgreSQL the work is split: part in
this process, part in the server's backend process of each connection. Wall time is no
fair measure there on a shared machine: every statement is a round trip, and on a busy
machine each round trip waits for the scheduler, so wall time mostly counts statements
times the machine's load, not work. So the bench adds the CPU time the server's backends
spent while a page was made, read from /proc/<pid>/schedstat (nanoseconds on the CPU),
which only works for a server on this machine; for any other server it falls back to wall
time (`available` is False).
"""
from __future__ import annotations

from pathlib import Path

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "", None}


def runtime_ns(pid: int) -> int | None:
    """Nanoseconds process `pid` has spent on a CPU (None: gone or unreadable)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def is_local_postgres(url: str) -> bool:
    """A PostgreSQL server on this machine whose processes /proc shows."""
    if not url.startswith("postgresql"):
        return False
    from sqlalchemy.engine import make_url

    return make_url(url).host in LOCAL_HOSTS and Path("/proc/self/schedstat").exists()


def backend_pid(dbapi_connection) -> int | None:
    """The server process behind a psycopg connection (no round trip: libpq knows it)."""
    info = getattr(dbapi_connection, "info", None)
    return getattr(info, "backend_pid", None)


def is_postgres_backend(pid: int) -> bool:
    try:
        return b"postgres" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


class ServerCPU:
    """CPU milliseconds the server spent for an engine's connections between start() and
    stop(): every backend the pool hands out is followed from the moment it is checked
    out (a connection opened during a request counts from then)."""

    def __init__(self, engine, url: str):
        self.engine = engine
        self.available = is_local_postgres(url)
        self._last: dict[int, int] = {}
        if self.available:
            from sqlalchemy import event

            event.listen(engine, "checkout", self._checkout)

    def _checkout(self, dbapi_connection, _record, _proxy) -> None:
        pid = backend_pid(dbapi_connection)
        if pid and pid not in self._last and is_postgres_backend(pid):
            self._last[pid] = runtime_ns(pid) or 0

    def start(self) -> None:
        for pid in list(self._last):
            now = runtime_ns(pid)
            if now is None:
                del self._last[pid]
            else:
                self._last[pid] = now

    def stop(self) -> float:
        total = 0
        for pid, before in list(self._last.items()):
            now = runtime_ns(pid)
            if now is None:  # the connection was closed meanwhile
                del self._last[pid]
                continue
            total += now - before
            self._last[pid] = now
        return total / 1e6

    def close(self) -> None:
        if self.available:
            from sqlalchemy import event

            event.remove(self.engine, "checkout", self._checkout)


class FloorServerCPU:
    """The same for the floor's one plain psycopg connection."""

    def __init__(self, conn, url: str):
        self.pid = backend_pid(conn) if is_local_postgres(url) else None
        self._before = 0

    def start(self) -> None:
        self._before = (runtime_ns(self.pid) or 0) if self.pid else 0

    def stop(self) -> float:
        return ((runtime_ns(self.pid) or 0) - self._before) / 1e6 if self.pid else 0.0
