"""Two app nodes on one database, one upload store and one Redis (issue 16): a session
started on node A is the same on node B, a logout on B ends it on A, a two-step code
used on A is refused on B, and the login limit counts over both nodes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.conftest import PASSWORD
from tests.live import Browser, gunicorn, redis_server, served_app


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, database_config: dict[str, Any], tmp_path: Path) -> Any:
    """The app both nodes serve: an SQLite file, or (with --postgres) the PostgreSQL schema."""
    with served_app(request, database_config, tmp_path) as application:
        yield application


@pytest.fixture
def nodes(app, db, tmp_path: Path) -> Iterator[tuple[str, str]]:
    db.session.remove()
    uploads = tmp_path / "uploads"  # one store, mounted on both nodes
    with redis_server(tmp_path) as storage:
        settings = {
            "RATELIMIT_ENABLED": "1",
            "RATELIMIT_STORAGE_URI": storage,
            "UPLOAD_DIR": str(uploads),
        }
        url = app.config["LIVE_DATABASE_URL"]
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        with (
            gunicorn(url, tmp_path / "a", workers=1, settings=settings) as node_a,
            gunicorn(url, tmp_path / "b", workers=1, settings=settings) as node_b,
        ):
            yield node_a, node_b


def _on(host: str, other: Browser) -> Browser:
    """The same browser (its cookies) talking to another node."""
    return Browser(host, cookies=dict(other.cookies))


def test_a_logout_on_one_node_ends_the_session_on_the_other(db, make_user, nodes):
    node_a, node_b = nodes
    make_user(email="lid@twee-nodes.example")
    db.session.commit()
    db.session.remove()
    on_a = Browser(node_a)
    on_a.log_in("lid@twee-nodes.example", PASSWORD)
    assert on_a.get("/account").status == 200
    on_b = _on(node_b, on_a)
    assert on_b.get("/account").status == 200  # one session, whichever node answers
    token = on_b.form("/account")["csrf_token"]
    assert on_b.send("POST", "/logout", {"csrf_token": token}).status == 302
    stale = Browser(node_a, cookies=dict(on_a.cookies))  # the cookie from before the logout
    reply = stale.get("/account")
    assert reply.status == 302
    assert "/login" in reply.location


def test_a_two_step_code_used_on_one_node_is_refused_on_the_other(db, make_user, nodes):
    node_a, node_b = nodes
    secret = pyotp.random_base32()
    make_user(email="beheer@twee-nodes.example", platform_role="admin", totp_secret=secret)
    db.session.commit()
    db.session.remove()
    email = "beheer@twee-nodes.example"
    code = pyotp.TOTP(secret).now()
    first = Browser(node_a)
    fields = {"email": email, "password": PASSWORD, **_token(first, "/login")}
    assert "/login/code" in first.send("POST", "/login", fields).location
    used = first.send("POST", "/login/code", {"code": code, **_token(first, "/login/code")})
    assert used.status == 302
    assert "/login" not in used.location
    second = Browser(node_b)
    fields = {"email": email, "password": PASSWORD, **_token(second, "/login")}
    assert "/login/code" in second.send("POST", "/login", fields).location
    replayed = second.send("POST", "/login/code", {"code": code, **_token(second, "/login/code")})
    assert replayed.status == 200  # the form again, with its error: the code was used
    assert second.get("/account").status == 302


def test_the_login_limit_counts_over_both_nodes(nodes):
    node_a, node_b = nodes
    statuses = []
    for attempt in range(11):
        browser = Browser(node_a if attempt % 2 else node_b)
        fields = {
            "email": "doelwit@twee-nodes.example",
            "password": "fout",
            **_token(browser, "/login"),
        }
        statuses.append(browser.send("POST", "/login", fields).status)
    assert statuses == [200] * 10 + [429]


def _token(browser: Browser, path: str) -> dict[str, str]:
    return {"csrf_token": browser.form(path)["csrf_token"]}
