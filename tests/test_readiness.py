"""Liveness and readiness for the load balancer, and the loud word at start when the rate
limits are counted per process (issue 16). The shared store itself, Redis over several
workers, is tests/test_shared_rate_limits.py."""

from __future__ import annotations

import logging

from tests.conftest import database, make_app


def test_readyz_reports_the_database_and_the_rate_limit_store(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    # The tests' settings switch the limits off; they are then reported as off, not ok.
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "rate_limits": "off",
        "malware_scan": "off",
    }
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_with_limits_in_memory(database_config):
    app = make_app(database_config, RATELIMIT_ENABLED=True)
    with database(app):
        assert app.test_client().get("/readyz").json["rate_limits"] == "ok"


def test_per_process_limits_are_said_loudly_at_start(database_config, caplog):
    with caplog.at_level(logging.WARNING, logger="community.rate_limits"):
        make_app(database_config, TESTING=False, RATELIMIT_ENABLED=True)
    assert "RATE LIMITS ARE PER PROCESS" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="community.rate_limits"):
        make_app(database_config, RATELIMIT_ENABLED=True)  # the tests' own settings: quiet
    assert "RATE LIMITS ARE PER PROCESS" not in caplog.text
