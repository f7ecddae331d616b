"""Rate limits hold across workers (issue 16): with the counters in Redis, the login limit
is the same for three gunicorn workers as for one; the readiness check says when the
store is gone, and a login is then refused, never let through unlimited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.conftest import database, make_app
from tests.live import Browser, gunicorn, redis_server

LOGIN_LIMIT = 10  # "10 per 15 minutes" per e-mail address (community/accounts/views.py)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """An SQLite file with the schema, Redis, and gunicorn with three workers sharing both."""
    url = f"sqlite:///{tmp_path / 'leerkring.sqlite3'}"
    app = make_app({"SQLALCHEMY_DATABASE_URI": url})
    with database(app), redis_server(tmp_path) as storage:
        settings = {"RATELIMIT_ENABLED": "1", "RATELIMIT_STORAGE_URI": storage}
        with gunicorn(url, tmp_path, workers=3, settings=settings) as host:
            yield {"host": host, "storage": storage, "directory": tmp_path}


def _attempt(host: str, email: str) -> int:
    """One wrong password from a new browser over a new connection (any worker may take it)."""
    browser = Browser(host)
    fields = browser.form("/login")
    reply = browser.send(
        "POST",
        "/login",
        {"email": email, "password": "niet-het-wachtwoord", "csrf_token": fields["csrf_token"]},
    )
    return reply.status


def test_the_login_limit_holds_over_three_workers(served):
    statuses = [
        _attempt(served["host"], "doelwit@gemeente.example") for _ in range(LOGIN_LIMIT + 1)
    ]
    assert statuses[:LOGIN_LIMIT] == [200] * LOGIN_LIMIT
    assert statuses[LOGIN_LIMIT] == 429
    # The counters are in Redis, where every worker reads them.
    assert redis.Redis.from_url(served["storage"]).keys("LIMITS*")
    # Another account is not locked out by this one's limit.
    assert _attempt(served["host"], "iemand-anders@gemeente.example") == 200


def test_readiness_follows_the_store_and_logins_fail_closed_without_it(served, tmp_path):
    host = served["host"]
    browser = Browser(host)
    ready = browser.get("/readyz")
    assert ready.status == 200
    assert '"rate_limits":"ok"' in ready.body.replace(" ", "")
    redis.Redis.from_url(served["storage"]).shutdown(nosave=True)
    gone = Browser(host).get("/readyz")
    assert gone.status == 503
    assert '"rate_limits":"unavailable"' in gone.body.replace(" ", "")
    assert Browser(host).get("/healthz").status == 200  # alive: the database answers
    assert Browser(host).get("/login").status == 200  # pages without a limit keep working
    statuses = {_attempt(host, "doelwit@gemeente.example") for _ in range(LOGIN_LIMIT + 2)}
    assert statuses == {503}, statuses  # refused: never unlimited attempts
    refused = Browser(host)
    fields = refused.form("/login")
    page = refused.send(
        "POST", "/login", {"email": "x@gemeente.example", "password": "p", **fields}
    ).body
    assert "Even niet beschikbaar" in page
    assert "Traceback" not in page
