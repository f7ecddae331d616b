"""Login, logout, redirects, sessions that end on the server side."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from sqlalchemy import select

from community.models import AuditEvent
from tests.conftest import PASSWORD, login


def test_login_redirects_to_a_safe_next(client, make_user):
    user = make_user()
    response = client.post("/login?next=/account", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "///evil.example",
        "https://evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "/%0d%0a//evil.example".replace("%0d%0a", "\r\n"),
        "evil.example",
    ],
)
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_anonymous_visit_goes_to_login_with_next(client):
    response = client.get("/account?tab=1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert unquote(response.headers["Location"]) == "/login?next=/account?tab=1"


def test_wrong_password_and_unknown_address_answer_the_same(client, db, make_user):
    user = make_user()
    wrong = login(client, user.email, "not-the-password-at-all")
    unknown = login(client, "nobody@nowhere.example", "not-the-password-at-all")
    assert wrong.status_code == unknown.status_code == 200
    message = "Het e-mailadres of het wachtwoord klopt niet."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    failures = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "login.failed")
    ).all()
    assert len(failures) == 2
    assert failures[0].target_id == user.id
    assert failures[0].ip == "127.0.0.1"
    assert client.get("/account").status_code == 302


def test_suspended_account_cannot_log_in(client, make_user):
    user = make_user(status="suspended")
    response = login(client, user.email)
    assert response.status_code == 200
    assert "geschorst" in response.get_data(as_text=True)


def test_logout_is_a_post(client, logged_in):
    logged_in()
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.headers["Location"] == "/login"
    assert client.get("/account").status_code == 302


def _session_cookie(client) -> str:
    # Secure cookies carry the __Host- prefix (as in production).
    cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def test_session_cookie_replayed_after_logout_no_longer_works(app, client, logged_in):
    logged_in()
    stolen = _session_cookie(client)
    client.post("/logout")
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/account").status_code == 302


def test_session_ends_after_password_change_elsewhere(app, client, logged_in):
    user = logged_in()
    stolen = _session_cookie(client)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "een-nieuw-en-lang-wachtwoord",
            "password_confirm": "een-nieuw-en-lang-wachtwoord",
        },
    )
    assert response.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200  # this session goes on
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/account").status_code == 302
    assert login(app.test_client(), user.email, "een-nieuw-en-lang-wachtwoord").status_code == 302


def test_wrong_current_password_changes_nothing(client, logged_in):
    user = logged_in()
    old_hash = user.password_hash
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong-wrong-wrong",
            "password": "een-nieuw-en-lang-wachtwoord",
            "password_confirm": "een-nieuw-en-lang-wachtwoord",
        },
    )
    assert response.status_code == 200
    assert 'id="current_password-error"' in response.get_data(as_text=True)
    assert user.password_hash == old_hash


def test_remember_me_lasts_at_most_thirty_days(app, client, make_user):
    user = make_user()
    response = login(client, user.email, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    name = app.config["REMEMBER_COOKIE_NAME"]
    assert name == "__Host-remember_token"
    remember = next(c for c in cookies if c.startswith(f"{name}="))
    assert "HttpOnly" in remember
    assert app.config["REMEMBER_COOKIE_DURATION"] <= 30 * 24 * 3600


def test_session_cookie_flags(database_config, make_user):
    from tests.conftest import add_active_user, database, make_app

    app = make_app(database_config, SESSION_COOKIE_SECURE=True)
    with database(app):
        add_active_user("a@x.example")
        response = login(app.test_client(), "a@x.example")
        cookies = response.headers.getlist("Set-Cookie")
        cookie = next(c for c in cookies if c.startswith("__Host-session="))
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "Secure" in cookie


@pytest.mark.parametrize(
    ("base_url", "setting", "secure"),
    [
        ("https://leerkring.example", None, True),
        ("HTTPS://leerkring.example/", None, True),
        ("http://127.0.0.1:5000", None, False),
        (None, None, False),  # the development default, http://127.0.0.1:5000
        ("https://leerkring.example", "0", False),  # set explicitly: that wins
        ("http://leerkring.example", "1", True),
    ],
)
def test_an_https_base_url_makes_cookies_secure(monkeypatch, tmp_path, base_url, setting, secure):
    from community.config import from_environment

    for name, value in (("BASE_URL", base_url), ("SESSION_COOKIE_SECURE", setting)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("LEERKRING_ENV", "production")
    config = from_environment(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is secure
    assert config["REMEMBER_COOKIE_SECURE"] is secure
