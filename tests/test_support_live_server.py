"""LiveServer serves a WSGI app over real HTTP on loopback, concurrently, and stops.

Uses a tiny Flask app so it works whatever state the real app is in. The browser side
(Chromium through Playwright) is checked in tests/e2e/test_smoke_e2e.py, where the
session's single Playwright instance lives (the sync API allows one per thread).
"""
from __future__ import annotations

import threading
import urllib.request

import pytest
from flask import Flask

from tests.support.live_server import LiveServer


@pytest.fixture(scope="module")
def tiny_server():
    app = Flask(__name__)
    released = threading.Event()

    @app.get("/block")
    def block():
        # Answers "released" only if /release could be served while this one waits.
        return "released" if released.wait(5) else "timeout"

    @app.get("/release")
    def release():
        released.set()
        return "ok"

    with LiveServer(app) as server:
        yield server


def test_serves_concurrent_requests_on_loopback(tiny_server):
    assert tiny_server.url == f"http://127.0.0.1:{tiny_server.port}"
    answers = []
    waiter = threading.Thread(target=lambda: answers.append(
        urllib.request.urlopen(f"{tiny_server.url}/block", timeout=10).read()))
    waiter.start()
    with urllib.request.urlopen(f"{tiny_server.url}/release", timeout=5) as response:
        assert response.status == 200
    waiter.join(10)
    assert answers == [b"released"]  # a single-threaded server would answer "timeout"


def test_stops():
    server = LiveServer(Flask(__name__)).start()
    url = server.url
    server.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)
