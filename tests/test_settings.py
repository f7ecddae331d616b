"""Settings that keep a live site safe: SECRET_KEY, __Host- cookies, Secure cookies over HTTP."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from community import create_app
from community.config import ConfigurationError
from tests.conftest import PASSWORD, TEST_CONFIG, add_active_user, database, make_app

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).parent / "flask")


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The process environment without SECRET_KEY or LEERKRING_ENV, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "LEERKRING_ENV"}}
    env.update(
        LEERKRING_INSTANCE=str(tmp_path / "instance"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    )
    return env


def test_outside_development_the_app_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("LEERKRING_ENV", "production")
    monkeypatch.setenv("LEERKRING_INSTANCE", str(tmp_path))
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert not (tmp_path / "secret_key").exists()  # no per-host key made behind your back


def test_a_real_process_without_secret_key_stops_with_a_clear_message(tmp_path):
    result = subprocess.run(
        [FLASK, "--app", "wsgi", "routes"],
        cwd=ROOT,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "LEERKRING_ENV=development" in result.stderr
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_in_development_a_key_of_the_instance_folder_is_made_and_kept(tmp_path):
    env = _environment(tmp_path, LEERKRING_ENV="development")
    for _ in range(2):
        result = subprocess.run(
            [FLASK, "--app", "wsgi", "routes"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        key = (tmp_path / "instance" / "secret_key").read_text()
        assert len(key) == 64
    assert (tmp_path / "instance" / "secret_key").read_text() == key


def test_a_secret_key_from_the_environment_is_used(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("LEERKRING_ENV", "production")
    monkeypatch.setenv("LEERKRING_INSTANCE", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_secure_cookies_get_the_host_prefix(database_config):
    app = make_app(
        database_config,
        SESSION_COOKIE_SECURE=True,
        REMEMBER_COOKIE_SECURE=True,
        REQUIRE_2FA_FOR_STAFF=False,
    )
    with database(app):
        add_active_user("a@x.example")
        client = app.test_client()
        response = client.post(
            "/login",
            data={"email": "a@x.example", "password": PASSWORD, "remember": "y"},
            base_url="https://leerkring.test",
        )
        assert response.status_code == 302
        cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
        assert set(cookies) == {"__Host-session", "__Host-remember_token"}
        for cookie in cookies.values():
            attributes = [a.strip().lower() for a in cookie.split(";")]
            assert "secure" in attributes
            assert "path=/" in attributes
            assert not any(a.startswith("domain=") for a in attributes)
        # And the prefixed cookie carries the session.
        assert client.get("/account", base_url="https://leerkring.test").status_code == 200


def test_plain_cookies_keep_their_names(database_config):
    app = make_app(database_config, SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    assert app.config["SESSION_COOKIE_NAME"] == "session"
    assert app.config["REMEMBER_COOKIE_NAME"] == "remember_token"


def test_a_cookie_with_a_domain_can_only_be_secure_prefixed(database_config):
    app = make_app(
        database_config,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_DOMAIN="leerkring.example",
        REMEMBER_COOKIE_SECURE=True,
    )
    assert app.config["SESSION_COOKIE_NAME"] == "__Secure-session"
    assert app.config["REMEMBER_COOKIE_NAME"] == "__Host-remember_token"


def _warnings(caplog) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "community.security" and r.levelno == logging.WARNING
    ]


@pytest.fixture
def security_log(monkeypatch):
    """The logger, enabled again: Alembic's fileConfig (test_migrations) disables it."""
    monkeypatch.setattr(logging.getLogger("community.security"), "disabled", False)


@pytest.mark.usefixtures("security_log")
def test_secure_cookies_over_plain_http_are_explained_once(database_config, caplog):
    app = make_app(database_config, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    caplog.set_level(logging.WARNING, logger="community.security")
    with database(app):
        client = app.test_client()
        remote = {"REMOTE_ADDR": "192.0.2.10"}
        plain = "http://leerkring.test"
        for _ in range(3):
            response = client.get("/login", base_url=plain, environ_base=remote)
            assert response.status_code == 200
        response = client.post("/login", data={"email": "x"}, base_url=plain, environ_base=remote)
        assert response.status_code == 200
    [warning] = _warnings(caplog)
    message = warning.getMessage()
    assert "192.0.2.10" in message
    assert "plain HTTP" in message
    assert "BASE_URL" in message


@pytest.mark.usefixtures("security_log")
@pytest.mark.parametrize(
    ("secure_cookies", "remote", "base_url"),
    [
        (True, "127.0.0.1", "http://localhost"),  # a proxy on this machine
        (True, "::1", "http://localhost"),
        (True, "192.0.2.10", "https://leerkring.test"),  # over HTTPS: nothing wrong
        (False, "192.0.2.10", "http://leerkring.test"),  # cookies not Secure
    ],
)
def test_no_warning_when_nothing_is_wrong(
    database_config, caplog, secure_cookies, remote, base_url
):
    app = make_app(
        database_config, SESSION_COOKIE_SECURE=secure_cookies, REMEMBER_COOKIE_SECURE=False
    )
    caplog.set_level(logging.WARNING, logger="community.security")
    with database(app):
        response = app.test_client().get(
            "/login", base_url=base_url, environ_base={"REMOTE_ADDR": remote}
        )
        assert response.status_code == 200
    assert _warnings(caplog) == []


def test_testing_needs_no_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("LEERKRING_ENV", "production")
    monkeypatch.setenv("LEERKRING_INSTANCE", str(tmp_path))
    config = {**TEST_CONFIG, "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    assert create_app(config).config["SECRET_KEY"]
