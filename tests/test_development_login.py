"""The demo's staff sign in without an authenticator app in development, and only there."""

from __future__ import annotations

import pytest

from community import create_app
from tests.conftest import add_active_user, database, login, make_app

NOTE = "data-development-note"


@pytest.mark.parametrize(
    ("environment", "testing", "bypass"),
    [
        ("development", False, True),
        ("production", False, False),
        ("production", True, False),
        ("development", True, False),  # the tests' settings: never
    ],
)
def test_the_bypass_is_on_in_development_only(environment, testing, bypass):
    app = create_app(
        {
            "LEERKRING_ENV": environment,
            "TESTING": testing,
            "SECRET_KEY": "k" * 32,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "RATELIMIT_ENABLED": False,
        }  # the limiter is one object: leave it off for the rest
    )
    assert app.config["STAFF_2FA_BYPASS"] is bypass
    assert app.config["REQUIRE_2FA_FOR_STAFF"] is not bypass


def test_staff_without_an_app_must_set_it_up_outside_development(client, make_user):
    admin = make_user(platform_role="admin", totp_secret=None)
    response = login(client, admin.email)
    assert response.headers["Location"] == "/account/2fa"
    assert NOTE not in client.get("/login").get_data(as_text=True)


def test_staff_log_in_without_an_app_in_development(database_config, make_user):
    app = make_app(
        database_config, TESTING=False, LEERKRING_ENV="development", RATELIMIT_ENABLED=False
    )
    with database(app):
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        assert NOTE in page
        assert "zonder authenticator-app" in page
        admin = add_active_user("beheer@demo.example", platform_role="admin")
        assert admin.totp_secret is None
        response = login(client, admin.email)
        assert response.status_code == 302
        assert response.headers["Location"] == "/"
        assert client.get("/admin/accounts").status_code == 200
