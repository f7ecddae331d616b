"""Error reference ids, COOP on every response, security.txt with Policy and a moving Expires."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

from flask import abort

from community.models.base import utcnow
from tests.conftest import add_active_user, database, login, make_app

REFERENCE = re.compile(r"foutcode: ([0-9a-f]{8})")


def _failing_app(database_config):
    app = make_app(database_config, PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("kapot")

    @app.route("/unavailable")
    def unavailable() -> str:
        abort(503)

    return app


def test_every_server_error_shows_a_reference_that_is_in_its_log_line(
    database_config, caplog, monkeypatch
):
    # Alembic's fileConfig (tests/test_migrations.py) disables existing loggers.
    monkeypatch.setattr(logging.getLogger("community.errors"), "disabled", False)
    app = _failing_app(database_config)
    caplog.set_level(logging.ERROR, logger="community.errors")
    with database(app):
        add_active_user("a@x.example")
        client = app.test_client()
        assert login(client, "a@x.example").status_code == 302
        _check_references(client, caplog)


def _check_references(client, caplog):
    seen = []
    for path, code in (("/boom", 500), ("/boom", 500), ("/unavailable", 503)):
        response = client.get(path)
        assert response.status_code == code
        page = response.get_data(as_text=True)
        [reference] = REFERENCE.findall(page)
        assert "kapot" not in page  # no internals on the page
        lines = [r for r in caplog.records if reference in r.getMessage()]
        assert len(lines) == 1, [r.getMessage() for r in caplog.records]
        assert path in lines[0].getMessage()
        seen.append(reference)
    assert len(set(seen)) == 3
    # The unhandled exception is logged once, with its traceback, under the reference.
    boom = [r for r in caplog.records if seen[0] in r.getMessage()][0]
    assert boom.exc_info
    assert boom.exc_info[0] is RuntimeError
    assert len([r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]) == 2


def test_a_client_error_has_no_reference(client):
    response = client.get("/c/bestaat-niet")
    assert response.status_code in {302, 404}
    assert "foutcode" not in response.get_data(as_text=True)


def test_every_response_has_cross_origin_opener_policy(client):
    paths = ("/login", "/healthz", "/.well-known/security.txt", "/nergens", "/static/css/app.css")
    for path in paths:
        response = client.get(path)
        assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", path


def test_security_txt_has_a_policy_and_expires_within_a_year(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    fields = dict(line.split(": ", 1) for line in response.get_data(as_text=True).splitlines())
    assert fields["Contact"].startswith("mailto:")
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert utcnow() + timedelta(days=30) < expires <= utcnow() + timedelta(days=365)
    assert fields["Policy"] == "https://leerkring.test/beveiliging"
    policy = client.get("/beveiliging")
    assert policy.status_code == 200
    assert "security@leerkring.example" in policy.get_data(as_text=True)


def test_security_txt_expires_is_capped_at_a_year(app, client):
    app.config["SECURITY_TXT_DAYS"] = 5000
    body = client.get("/.well-known/security.txt").get_data(as_text=True)
    expires = re.search(r"^Expires: (\S+)$", body, re.M).group(1)
    stamp = datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert stamp <= utcnow() + timedelta(days=365)
