"""The factory and the health check."""

from __future__ import annotations

from community import create_app


def test_config_mapping_overrides_environment() -> None:
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "BASE_URL": "http://x"}
    )
    assert app.testing
    assert app.config["BASE_URL"] == "http://x"


def test_healthz_answers_when_database_answers(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
