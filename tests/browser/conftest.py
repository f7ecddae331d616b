"""Browser tests: a live server per session (per xdist worker) and the system Chromium.

The app runs as in production as far as the browser can tell: behind TLS (a
self-signed certificate made for the session) with Secure cookies, staff two-step
verification on, a file SQLite database, CSRF on, mail written as .eml files,
served by werkzeug on a free port of 127.0.0.1. Playwright never downloads a
browser; it drives the Debian `chromium`, and the whole directory is skipped when
that is missing.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pages
import pytest
from flask import Flask, got_request_exception
from pages import LiveServer
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from community import create_app
from community.extensions import db
from community.seed import seed_organisations, seed_themes

CHROMIUM = shutil.which("chromium")
SKIP_REASON = (
    "Browser tests skipped: no system Chromium found (install the Debian package 'chromium')"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything in this directory is a browser test, and needs Chromium."""
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                item.add_marker(skip)


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr for every page and stylesheet."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if CHROMIUM is None:
        pytest.skip(SKIP_REASON)
    root = tmp_path_factory.mktemp("live-server")
    mail_dir = root / "mail"
    mail_dir.mkdir()
    app = create_app(
        {
            "SECRET_KEY": "browser-test-secret-key",
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(root / "leerkring.sqlite3"),
            "MAIL_BACKEND": "file",
            "MAIL_DELIVERY": "inline",
            "MAIL_FILE_DIR": str(mail_dir),
            "UPLOAD_DIR": str(root / "uploads"),
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": True,
            "REMEMBER_COOKIE_SECURE": True,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "REQUIRE_2FA_FOR_STAFF": True,
            # WTF_CSRF_ENABLED stays on: the browser posts the real tokens.
        }
    )
    with app.app_context():
        db.create_all()
        seed_organisations()
        seed_themes()
        db.session.commit()
        db.session.remove()

    server: BaseWSGIServer = make_server(
        "127.0.0.1",
        0,
        app,
        threaded=True,
        request_handler=_QuietHandler,
        ssl_context=_certificate(root),
    )
    url = f"https://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url
    live = LiveServer(app=app, url=url, mail_dir=mail_dir)
    pages.use_live_server(live)

    def _record(sender: Flask, exception: BaseException, **extra: Any) -> None:
        live.errors.append(exception)

    got_request_exception.connect(_record, app)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield live
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        got_request_exception.disconnect(_record, app)
        with app.app_context():
            db.engine.dispose()


def _certificate(root: Path) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1, made with openssl for this session."""
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@pytest.fixture(autouse=True)
def _no_server_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test fails when the live server raised while serving it."""
    if "live_server" not in request.fixturenames:
        yield
        return
    live: LiveServer = request.getfixturevalue("live_server")
    before = len(live.errors)
    yield
    new = live.errors[before:]
    assert not new, f"the live server raised: {new!r}"


@pytest.fixture(scope="session")
def browser(live_server: LiveServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # The system Chromium only: Playwright never looks for a browser build of its own.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh browser profile per test: no cookies carried between tests."""
    ctx = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport={"width": 1280, "height": 900},
        ignore_https_errors=True,  # the session's self-signed certificate
    )
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()
