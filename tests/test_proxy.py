"""Behind exactly one trusted proxy (nginx): the client's address, scheme and host come from
the headers nginx sets, a forwarded header a client made up is ignored, and without a
proxy configured no forwarded header is believed at all (issue 16)."""

from __future__ import annotations

import pytest
from flask import jsonify, request, url_for
from sqlalchemy import select

from community.config import ConfigurationError
from community.extensions import db
from community.models import AuditEvent
from tests.conftest import PASSWORD, add_active_user, database, make_app

PLAIN_HTTP = {"wsgi.url_scheme": "http", "REMOTE_ADDR": "127.0.0.1"}  # nginx -> gunicorn


def _app(database_config, proxies: int):
    app = make_app(database_config, TRUSTED_PROXY_COUNT=proxies)

    def probe():  # what the app believes about the request
        return jsonify(
            addr=request.remote_addr,
            scheme=request.scheme,
            host=request.host,
            external=url_for("pages.privacy", _external=True),
        )

    # This test app's public privacy page answers with what it saw.
    app.view_functions["pages.privacy"] = probe
    return app


def _probe(app, headers):
    return app.test_client().get("/privacy", headers=headers, environ_overrides=PLAIN_HTTP).json


NGINX = {
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "leerkring.gemeente.example",
}


def test_one_proxy_gives_the_clients_address_scheme_and_host(database_config):
    app = _app(database_config, 1)
    seen = _probe(app, NGINX)
    assert seen == {
        "addr": "203.0.113.7",
        "scheme": "https",
        "host": "leerkring.gemeente.example",
        "external": "https://leerkring.gemeente.example/privacy",
    }


def test_a_forwarded_for_made_up_by_the_client_is_ignored(database_config):
    """The client sends its own X-Forwarded-For; nginx appends the real address."""
    app = _app(database_config, 1)
    spoofed = NGINX | {"X-Forwarded-For": "10.0.0.1, 203.0.113.7"}
    assert _probe(app, spoofed)["addr"] == "203.0.113.7"


def test_without_a_proxy_no_forwarded_header_is_believed(database_config):
    app = _app(database_config, 0)
    seen = _probe(app, NGINX)
    assert seen["addr"] == "127.0.0.1"
    assert seen["scheme"] == "http"
    assert seen["host"] != "leerkring.gemeente.example"


def test_the_audit_log_and_secure_cookie_follow_the_proxy(database_config):
    app = make_app(database_config, TRUSTED_PROXY_COUNT=1)
    with database(app):
        add_active_user("lid@gemeente.example")
        client = app.test_client()
        headers = NGINX | {"X-Forwarded-For": "10.9.9.9, 198.51.100.4"}
        response = client.post(
            "/login",
            data={"email": "lid@gemeente.example", "password": "fout-wachtwoord-123"},
            headers=headers,
            environ_overrides=PLAIN_HTTP,
        )
        assert response.status_code == 200
        ips = db.session.scalars(
            select(AuditEvent.ip).where(AuditEvent.action == "login.failed")
        ).all()
        assert ips == ["198.51.100.4"]
        ok = client.post(
            "/login",
            data={"email": "lid@gemeente.example", "password": PASSWORD},
            headers=headers,
            environ_overrides=PLAIN_HTTP,
        )
        cookies = ok.headers.getlist("Set-Cookie")
        assert any(c.startswith("__Host-") and "Secure" in c for c in cookies), cookies


@pytest.mark.parametrize("raw", ["-1", "3", "yes", "1.5"])
def test_a_wrong_proxy_count_refuses_to_start(database_config, raw):
    with pytest.raises(ConfigurationError, match="TRUSTED_PROXY_COUNT"):
        make_app(database_config, TRUSTED_PROXY_COUNT=raw)
