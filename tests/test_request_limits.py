"""The form-memory limit holds for urlencoded bodies too, over a real socket."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

TEN_MB = 10 * 1024 * 1024
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def server(app) -> Iterator[int]:
    """The test app behind werkzeug's threaded server on a free port of 127.0.0.1."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_port
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        httpd.server_close()


def _post(port: int, body: bytes | Iterator[bytes], headers: dict[str, str]) -> tuple[int, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    try:
        chunked = headers.get("Transfer-Encoding") == "chunked"
        connection.request("POST", "/register", body=body, headers=headers, encode_chunked=chunked)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def test_a_ten_megabyte_urlencoded_field_is_refused_with_413(app, server):
    assert app.config["MAX_FORM_MEMORY_SIZE"] < TEN_MB < app.config["MAX_CONTENT_LENGTH"]
    body = b"name=" + b"a" * TEN_MB + b"&email=x%40y.nl"
    status, seconds = _post(server, body, FORM)
    assert status == 413
    assert seconds < 5  # refused on its Content-Length, not after parsing 10 MB


def test_a_chunked_urlencoded_body_is_cut_off_at_the_limit(app, server):
    def chunks() -> Iterator[bytes]:
        yield b"name="
        for _ in range(TEN_MB // 65536):
            yield b"a" * 65536

    status, _seconds = _post(server, chunks(), {**FORM, "Transfer-Encoding": "chunked"})
    assert status == 413


def test_a_form_within_the_limit_is_still_read(client, make_organisation):
    organisation = make_organisation()
    response = client.post(
        "/register",
        data={"name": "n" * 200, "email": "a@b.nl", "organisation": organisation.id},
    )
    assert response.status_code == 200
    assert "hoogstens 120 tekens" in response.get_data(as_text=True)
