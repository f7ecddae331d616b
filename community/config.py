"""Settings from the environment, with safe development defaults."""

from __future__ import annotations

import os
import secrets
from typing import Any


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _instance_secret(instance_path: str) -> str:
    """A development secret kept in the instance folder, so sessions survive a restart."""
    path = os.path.join(instance_path, "secret_key")
    try:
        with open(path, encoding="ascii") as handle:
            value = handle.read().strip()
        if value:
            return value
    except FileNotFoundError:
        pass
    os.makedirs(instance_path, exist_ok=True)
    value = secrets.token_hex(32)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
        handle.write(value)
    return value


def from_environment(instance_path: str) -> dict[str, Any]:
    """Build the configuration mapping that `create_app` starts from."""
    development = os.environ.get("FLASK_DEBUG") == "1" or os.environ.get("LEERKRING_ENV", "") in {
        "development",
        "dev",
    }
    secret = os.environ.get("SECRET_KEY") or _instance_secret(instance_path)
    database = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + os.path.join(instance_path, "leerkring.sqlite3")
    )
    if database.startswith("postgres://"):
        database = "postgresql+psycopg://" + database.removeprefix("postgres://")
    elif database.startswith("postgresql://"):
        database = "postgresql+psycopg://" + database.removeprefix("postgresql://")
    return {
        "SECRET_KEY": secret,
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SQLALCHEMY_DATABASE_URI": database,
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", os.path.join(instance_path, "uploads")),
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "console"),
        "MAIL_FILE_DIR": os.environ.get("MAIL_FILE_DIR", os.path.join(instance_path, "mail")),
        "MAIL_DELIVERY": os.environ.get("MAIL_DELIVERY", "inline"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Leerkring <noreply@leerkring.example>"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", not development),
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", not development),
        "PASSWORD_HASH_METHOD": "scrypt",
        "SECURITY_CONTACT": os.environ.get("SECURITY_CONTACT", "mailto:security@leerkring.example"),
        "SECURITY_TXT_EXPIRES": os.environ.get("SECURITY_TXT_EXPIRES", "2027-12-31T23:00:00.000Z"),
    }


DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": 30 * 24 * 3600,
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": 512 * 1024,
    "UPLOAD_MAX_FILE_SIZE": 10 * 1024 * 1024,
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "LANGUAGES": ("nl", "en"),
    "WTF_CSRF_TIME_LIMIT": None,
    "MAIL_MAX_ATTEMPTS": 8,
    "WORKER_POLL_SECONDS": 5.0,
    "PASSWORD_RESET_MAX_AGE": 3600,
    "CONFIRM_MAX_AGE": 7 * 24 * 3600,
    "PER_PAGE": 25,
    "REQUIRE_2FA_FOR_STAFF": True,
}
