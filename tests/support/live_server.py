"""The test app served over real HTTP on 127.0.0.1, for browser (e2e) tests.

Provides the session-scoped fixture ``live_server`` (``.url`` like
"http://127.0.0.1:41234", ``.host``, ``.port``). It serves the session ``app`` fixture
of tests/conftest.py, so the browser and the test see the same database: data a test
creates through ``db`` or the factories is visible to the page, and the per-test
emptying of the database applies as well.

Used by tests/e2e/conftest.py; can also be listed in ``pytest_plugins``.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server


class LiveServer:
    """A WSGI app served by werkzeug in a daemon thread (one thread per request)."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = make_server(host, port, app, threaded=True)
        self.host = host
        self.port = self._server.server_port
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
            name=f"live-server-{self.port}", daemon=True,
        )

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<LiveServer {self.url}>"


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[LiveServer]:
    """The session `app` on a free port of 127.0.0.1; `.url` has no trailing slash."""
    with LiveServer(app) as server:
        yield server
