"""Where the rate limits count, and whether that store answers.

Flask-Limiter keeps its counters in `RATELIMIT_STORAGE_URI`. In memory (the embedded
default) every process counts on its own: gunicorn with two workers allows twice the
attempts, two app nodes four times. Production points it at Redis, shared by every
worker and node; outside development the app says loudly at start when it is not.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app
from limits.errors import StorageError
from redis.exceptions import RedisError

from community import transaction
from community.config import is_development
from community.errors import log_failure, render_error
from community.extensions import limiter

log = logging.getLogger(__name__)

PER_PROCESS_WARNING = (
    "RATE LIMITS ARE PER PROCESS: RATELIMIT_STORAGE_URI is %s, so each gunicorn worker and "
    "each app node counts login and other attempts on its own (two workers allow twice the "
    "attempts). Set RATELIMIT_STORAGE_URI=redis://… to share the counters."
)


def init_app(app: Flask) -> None:
    # Fail closed: a limited route whose counters cannot be read is refused with a 503,
    # never served without its limit (and the other pages keep working).
    app.register_error_handler(RedisError, _store_unreachable)
    app.register_error_handler(StorageError, _store_unreachable)
    storage = str(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    per_process = app.config.get("RATELIMIT_ENABLED", True) and storage.startswith("memory://")
    quiet = is_development(app.config) or app.config.get("TESTING")
    if per_process and not quiet:
        log.warning(PER_PROCESS_WARNING, storage)


def storage_answers() -> bool | None:
    """Whether the counters' store answers (None: rate limiting is off)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    try:
        return bool(limiter.storage.check())
    except Exception:  # an unreachable Redis raises from its client
        log.exception("the rate-limit store does not answer")
        return False


def _store_unreachable(exc: Exception) -> tuple[str, int, dict[str, str]]:
    transaction.fail()
    page, code = render_error(503, log_failure(503, exc))
    return page, code, {"Retry-After": "60"}
