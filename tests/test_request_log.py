"""A request id from nginx to the app's log lines, and log lines as JSON (issue 16)."""

from __future__ import annotations

import json
import logging
import re

from tests.conftest import database, make_app

NGINX_ID = "4f1c2a9e8b7d6c5a4f1c2a9e8b7d6c5a"  # nginx's $request_id: 32 hex characters


def test_behind_the_proxy_its_request_id_is_taken_and_sent_back(database_config):
    app = make_app(database_config, TRUSTED_PROXY_COUNT=1)
    with database(app):
        client = app.test_client()
        assert (
            client.get("/healthz", headers={"X-Request-ID": NGINX_ID}).headers["X-Request-ID"]
            == NGINX_ID
        )
        made_up = client.get("/healthz", headers={"X-Request-ID": "<script>"})
        assert re.fullmatch(r"[0-9a-f]{32}", made_up.headers["X-Request-ID"])


def test_without_a_proxy_the_app_makes_its_own(client):
    response = client.get("/healthz", headers={"X-Request-ID": NGINX_ID})
    assert response.headers["X-Request-ID"] != NGINX_ID
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    assert client.get("/healthz").headers["X-Request-ID"] != response.headers["X-Request-ID"]


def test_json_log_lines_carry_the_request_id_and_the_error_reference(database_config, capsys):
    app = make_app(
        database_config, TRUSTED_PROXY_COUNT=1, LOG_FORMAT="json", PROPAGATE_EXCEPTIONS=False
    )

    def broken():
        raise RuntimeError("kapot")

    app.view_functions["pages.privacy"] = broken  # a public page that fails
    try:
        with database(app):
            page = app.test_client().get("/privacy", headers={"X-Request-ID": NGINX_ID})
        assert page.status_code == 500
        reference = re.search(r"foutcode: ([0-9a-f]{8})", page.get_data(as_text=True))
        assert reference, page.get_data(as_text=True)
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
        errors = [line for line in lines if line["level"] == "ERROR"]
        assert errors, lines
        assert errors[0]["request_id"] == NGINX_ID
        assert errors[0]["logger"] == "community.errors"
        assert "RuntimeError: kapot" in errors[0]["exception"]
        assert reference.group(1) in errors[0]["message"]
    finally:
        for name in ("community", "flask.app"):  # the next tests log as before
            logger = logging.getLogger(name)
            for handler in [h for h in logger.handlers if h.get_name() == "leerkring"]:
                logger.removeHandler(handler)
