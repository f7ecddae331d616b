"""Settings from the environment, with safe development defaults."""

from __future__ import annotations

import os
import secrets
from collections.abc import MutableMapping
from typing import Any

DEVELOPMENT = frozenset({"development", "dev"})

MISSING_KEY_MESSAGE = (
    "SECRET_KEY is not set. Outside development Leerkring refuses to start without it: "
    "set SECRET_KEY to one long random value, the same on every app node "
    "(for example the output of: python -c 'import secrets; print(secrets.token_hex(32))'). "
    "On a development machine, set LEERKRING_ENV=development instead."
)


SEARCH_INDEXES = ("gin", "auto", "rum")  # see community.search.index_choice


class ConfigurationError(RuntimeError):
    """The settings are not fit to serve with; the message says what to change."""


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


def is_development(config: MutableMapping[str, Any]) -> bool:
    """`LEERKRING_ENV=development`: demo data, and a secret key of the instance folder."""
    return str(config.get("LEERKRING_ENV", "")).strip().lower() in DEVELOPMENT


def _development_environment() -> bool:
    return is_development({"LEERKRING_ENV": os.environ.get("LEERKRING_ENV", "production")})


def from_environment(instance_path: str) -> dict[str, Any]:
    """Build the configuration mapping that `create_app` starts from."""
    base_url = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Secure cookies when the public address is https:// (unless set explicitly).
    secure = _bool("SESSION_COOKIE_SECURE", base_url.lower().startswith("https://"))
    database = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + os.path.join(instance_path, "leerkring.sqlite3")
    )
    if database.startswith("postgres://"):
        database = "postgresql+psycopg://" + database.removeprefix("postgres://")
    elif database.startswith("postgresql://"):
        database = "postgresql+psycopg://" + database.removeprefix("postgresql://")
    return {
        "LEERKRING_ENV": os.environ.get("LEERKRING_ENV", "production"),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        "BASE_URL": base_url,
        "SQLALCHEMY_DATABASE_URI": database,
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", os.path.join(instance_path, "uploads")),
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "console"),
        "MAIL_FILE_DIR": os.environ.get("MAIL_FILE_DIR", os.path.join(instance_path, "mail")),
        # "worker": requests only queue mail and `flask worker` delivers it (production);
        # "inline": delivered right after the request's commit (development's default).
        "MAIL_DELIVERY": os.environ.get("MAIL_DELIVERY")
        or ("inline" if _development_environment() else "worker"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Leerkring <noreply@leerkring.example>"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "PASSWORD_HASH_METHOD": "scrypt",
        "SECURITY_CONTACT": os.environ.get("SECURITY_CONTACT", "mailto:security@leerkring.example"),
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted: 0 (no
        # proxy: the headers are ignored) or 1 (nginx). Values a client sends are never used.
        "TRUSTED_PROXY_COUNT": os.environ.get("TRUSTED_PROXY_COUNT", "0"),
        # json | text: the app's log lines on stderr, with the request id (unset: as is).
        "LOG_FORMAT": os.environ.get("LOG_FORMAT"),
        # gzip of HTML pages by the app: on for the embedded single process, off behind a
        # proxy (nginx compresses, with the BREACH precaution in its configuration).
        "COMPRESS_PAGES": _bool("COMPRESS_PAGES", True) if "COMPRESS_PAGES" in os.environ else None,
        # Where the accessibility statement sends feedback and complaints.
        "ACCESSIBILITY_CONTACT": os.environ.get(
            "ACCESSIBILITY_CONTACT", "mailto:toegankelijkheid@leerkring.example"
        ),
        # ClamAV's clamd for scanning uploads: a Unix socket path or tcp://host:port
        # (unset: uploads are not scanned; the admin pages say so).
        "CLAMD_SOCKET": os.environ.get("CLAMD_SOCKET", "").strip(),
        "SECURITY_TXT_DAYS": int(os.environ.get("SECURITY_TXT_DAYS", "180")),
        # Full-text index on PostgreSQL: gin | auto (RUM when installed, else GIN) | rum.
        # gin by default: RUM measured slower on the search set (docs/PERFORMANCE.md).
        "SEARCH_INDEX": os.environ.get("SEARCH_INDEX", "gin").strip().lower(),
    }


def finish(config: MutableMapping[str, Any], instance_path: str) -> None:
    """Settings that follow from others, once the overrides are in; refuse unsafe ones."""
    if not config.get("SECRET_KEY"):
        if not (is_development(config) or config.get("TESTING")):
            raise ConfigurationError(MISSING_KEY_MESSAGE)
        config["SECRET_KEY"] = _instance_secret(instance_path)
    # A Secure cookie gets the __Host- prefix (host-only, Path=/), so no subdomain or plain
    # HTTP page can set or overwrite it; with a Domain it can only be __Secure-.
    for prefix, default in (("SESSION", "session"), ("REMEMBER", "remember_token")):
        name = config.get(f"{prefix}_COOKIE_NAME") or default
        if config.get(f"{prefix}_COOKIE_SECURE") and name == default:
            path = config.get(f"{prefix}_COOKIE_PATH") or config.get("APPLICATION_ROOT") or "/"
            host_only = not config.get(f"{prefix}_COOKIE_DOMAIN") and path == "/"
            name = ("__Host-" if host_only else "__Secure-") + default
        config[f"{prefix}_COOKIE_NAME"] = name
    # Development only (`make run`): the demo's staff accounts sign in without an
    # authenticator app. Never in production, and never under tests' settings.
    config["STAFF_2FA_BYPASS"] = is_development(config) and not config.get("TESTING")
    if config["STAFF_2FA_BYPASS"]:
        config["REQUIRE_2FA_FOR_STAFF"] = False
    proxies = str(config.get("TRUSTED_PROXY_COUNT", 0)).strip()
    if proxies not in {"0", "1", "2"}:
        raise ConfigurationError(
            f"TRUSTED_PROXY_COUNT must be 0, 1 or 2 (the proxies in front), not {proxies!r}."
        )
    config["TRUSTED_PROXY_COUNT"] = int(proxies)
    if config.get("COMPRESS_PAGES") is None:
        config["COMPRESS_PAGES"] = config["TRUSTED_PROXY_COUNT"] == 0
    if str(config.get("SEARCH_INDEX", "gin")) not in SEARCH_INDEXES:
        raise ConfigurationError(
            f"SEARCH_INDEX must be one of {', '.join(SEARCH_INDEXES)}, "
            f"not {config.get('SEARCH_INDEX')!r}."
        )


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
    # Outbox rows one worker takes at a time, sent over one SMTP connection.
    "MAIL_BATCH_SIZE": 50,
    # A taken batch is the worker's for this long (then, after a crash, due again).
    "MAIL_LEASE_SECONDS": 600,
    "WORKER_POLL_SECONDS": 5.0,
    "PASSWORD_RESET_MAX_AGE": 3600,
    "CONFIRM_MAX_AGE": 7 * 24 * 3600,
    "PER_PAGE": 25,
    "REQUIRE_2FA_FOR_STAFF": True,
}
