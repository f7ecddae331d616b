"""A real Leerkring under gunicorn on a loopback port, and a small browser-like client.

For the concurrency tests: several worker processes on one database (an SQLite file or
PostgreSQL), production settings (CSRF on, staff two-step verification required, secure
cookies), and requests fired truly at once from threads behind a barrier.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pyotp
import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60
REQUEST_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served_app(
    request: pytest.FixtureRequest, database_config: dict[str, Any], directory: Path
) -> Iterator[Any]:
    """The app whose database gunicorn serves: an SQLite *file* (shared by processes), or
    with `request.param == "postgresql"` the worker's PostgreSQL schema (skipped without
    --postgres). The servers' URL is in `LIVE_DATABASE_URL`."""
    from tests.conftest import database, make_app

    if request.param == "postgresql":
        if not request.config.getoption("--postgres"):
            pytest.skip("PostgreSQL variant: run with --postgres and TEST_DATABASE_URL")
        config = database_config
    else:
        config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'leerkring.sqlite3'}"}
    application = make_app(config)
    application.config["LIVE_DATABASE_URL"] = server_database_url(config)
    with database(application):
        yield application


def server_database_url(config: dict[str, Any]) -> str:
    """The app's database for the server processes, search path (PostgreSQL schema) included."""
    url = str(config["SQLALCHEMY_DATABASE_URI"])
    schema = config.get("TEST_SCHEMA")
    if schema:
        url += "?options=" + quote(f"-csearch_path={schema}")
    return url


@contextmanager
def gunicorn(
    database_url: str, directory: Path, workers: int = 2, settings: dict[str, str] | None = None
) -> Iterator[str]:
    """Serve the app with `workers` gunicorn processes (and `settings` in the environment);
    yields the base URL; always stops them."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FLASK_DEBUG", "LEERKRING_ENV", "DATABASE_URL"}
    }
    env.update(
        SECRET_KEY="live-test-secret-key",
        DATABASE_URL=database_url,
        LEERKRING_INSTANCE=str(directory / "instance"),
        UPLOAD_DIR=str(directory / "uploads"),
        MAIL_BACKEND="file",
        MAIL_FILE_DIR=str(directory / "mail"),
        BASE_URL=f"http://127.0.0.1:{port}",
        PYTHONPATH=str(ROOT),
    )
    env.update(settings or {})
    log = open(directory / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            *("-w", str(workers), "--threads", "2", "-b", f"127.0.0.1:{port}"),
            *("--timeout", "60", "--log-level", "warning", "wsgi:app"),
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError("gunicorn stopped:\n" + (directory / "gunicorn.log").read_text())
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            try:
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            finally:
                connection.close()
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer in time")
            time.sleep(0.2)
        yield f"127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A real redis-server of its own on a free loopback port, without persistence."""
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("no redis-server: install the Debian package 'redis-server'")
    port = free_port()
    log = open(directory / "redis.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 - the system's redis-server, fixed arguments
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(directory)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "redis-server did not start: " + (directory / "redis.log").read_text()
                )
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@contextmanager
def clamd(directory: Path) -> Iterator[str]:
    """A real ClamAV daemon of its own on a Unix socket, with deploy/clamav's test signature
    (EICAR only: no network for freshclam here); yields the socket's path."""
    executable = shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin")
    if executable is None:
        if os.environ.get("CI"):
            raise RuntimeError("clamd is missing: .ci/run installs clamav-daemon")
        pytest.skip("no clamd: install the Debian package 'clamav-daemon'")
    socket_path = directory / "clamd.sock"
    config = directory / "clamd.conf"
    config.write_text(
        f"LocalSocket {socket_path}\nDatabaseDirectory {ROOT / 'deploy' / 'clamav'}\n"
        f"Foreground yes\nLogFile {directory / 'clamd.log'}\nStreamMaxLength 25M\n"
    )
    process = subprocess.Popen([executable, "-c", str(config)])  # noqa: S603 - fixed arguments
    try:
        deadline = time.monotonic() + 60
        while not socket_path.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                log = directory / "clamd.log"
                raise RuntimeError(
                    "clamd did not start: " + (log.read_text() if log.exists() else "")
                )
            time.sleep(0.1)
        yield str(socket_path)
    finally:
        process.terminate()
        process.wait(timeout=20)


@dataclass
class Reply:
    status: int
    location: str
    body: str


@dataclass
class Browser:
    """One browser: its own cookies (sent back whatever their Secure flag; this is loopback)."""

    host: str
    cookies: dict[str, str] = field(default_factory=dict)

    def connect(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection(self.host, timeout=REQUEST_SECONDS)
        connection.connect()
        return connection

    def send(
        self,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        connection: http.client.HTTPConnection | None = None,
    ) -> Reply:
        connection = connection or self.connect()
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=Thu, 01 Jan 1970" in header or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return Reply(response.status, response.headers.get("Location", ""), text)

    def get(self, path: str) -> Reply:
        return self.send("GET", path)

    def form(self, path: str) -> dict[str, str]:
        """The hidden fields (CSRF token, idempotency key) of the page's forms."""
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        fields = {}
        for tag in re.findall(r"<input[^>]*>", page.body):
            name = re.search(r'name="([a-z_]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if 'type="hidden"' in tag and name and value:
                fields[name.group(1)] = value.group(1)
        return fields

    def log_in(self, email: str, password: str, totp_secret: str | None = None) -> None:
        """Through the real forms: password, then (staff) a code from the authenticator."""
        fields = {"email": email, "password": password, **_csrf(self.form("/login"))}
        reply = self.send("POST", "/login", fields)
        if totp_secret is not None:
            assert reply.status == 302, reply.status
            assert "/login/code" in reply.location, reply.location
            code = {"code": pyotp.TOTP(totp_secret).now(), **_csrf(self.form("/login/code"))}
            reply = self.send("POST", "/login/code", code)
        assert reply.status == 302, reply.status
        assert "/login" not in reply.location, reply.location


def _csrf(fields: dict[str, str]) -> dict[str, str]:
    return {"csrf_token": fields["csrf_token"]}


def prepared(
    browser: Browser, method: str, path: str, data: dict[str, str] | None = None
) -> Callable[[], Reply]:
    """A request whose connection is open already, so a barrier releases requests, not
    TCP handshakes."""
    connection = browser.connect()
    return lambda: browser.send(method, path, data, connection)


def at_once(calls: list[Callable[[], Reply]]) -> list[Reply]:
    """Run the calls in threads released together by a barrier; bounded in time."""
    barrier = threading.Barrier(len(calls), timeout=REQUEST_SECONDS)
    replies: list[Reply | BaseException | None] = [None] * len(calls)

    def run(index: int, call: Callable[[], Reply]) -> None:
        try:
            barrier.wait()
            replies[index] = call()
        except BaseException as exc:  # reported below, in the test's thread
            replies[index] = exc

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_SECONDS * 2)
    for reply in replies:
        if not isinstance(reply, Reply):
            raise AssertionError(f"a request did not complete: {reply!r}")
    return [r for r in replies if isinstance(r, Reply)]


def flashes(browser: Browser, path: str) -> str:
    """The page after a redirect, where the flashed message is shown."""
    return browser.get(path).body
