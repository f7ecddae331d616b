"""The load runner's wrk script keeps the cookies responses set, as a browser would.

A small WSGI server on loopback rotates a cookie on every response and answers 409 to a
request that does not send the latest value back (or still sends a cookie it deleted);
bench/run.py's `wrk` refuses any answer other than 200. Skipped where wrk is missing.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterable
from http.cookies import SimpleCookie
from typing import Any

import pytest
from werkzeug.serving import make_server

from bench import run

WRK = shutil.which("wrk")


def _rotating_app() -> tuple[Callable[..., Iterable[bytes]], dict[str, Any]]:
    state: dict[str, Any] = {"issued": "0", "served": 0, "stale": 0}

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        jar = {k: v.value for k, v in SimpleCookie(environ.get("HTTP_COOKIE", "")).items()}
        first = state["served"] == 0
        fresh = jar.get("n") == state["issued"] and (first or "gone" not in jar)
        if not fresh:
            state["stale"] += 1
            start_response("409 Conflict", [("Content-Type", "text/plain")])
            return [b"stale cookie"]
        state["served"] += 1
        if first:  # the first answer deletes a cookie; it must not come back
            header = "gone=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"
        else:
            state["issued"] = str(int(state["issued"]) + 1)
            header = f"n={state['issued']}; HttpOnly; Path=/"
        start_response("200 OK", [("Content-Type", "text/plain"), ("Set-Cookie", header)])
        return [b"ok"]

    return app, state


@pytest.mark.skipif(WRK is None, reason="wrk is not installed")
def test_wrk_sends_back_the_cookies_the_responses_set():
    app, state = _rotating_app()
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        figures = run.wrk(str(WRK), url, "n=0; gone=1", duration=1, connections=1)
    finally:
        server.shutdown()
        thread.join()
    assert state["stale"] == 0
    assert state["served"] > 10
    # wrk may stop before reading the last answer the server sent
    assert state["served"] - 1 <= figures["cookies_set"] <= state["served"]
