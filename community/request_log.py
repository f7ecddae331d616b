"""A request id on every request, and log lines as JSON for the log collector.

nginx passes its `$request_id` as `X-Request-ID`; behind a trusted proxy
(`TRUSTED_PROXY_COUNT`) the app takes it, else it makes one. The id is in the response's
`X-Request-ID` and in every log line written during the request, so one line in nginx's
access log leads to the app's lines (and the reference on an error page to both).
`LOG_FORMAT=json` writes the app's lines to stderr as one JSON object each, `text` as
plain lines with the id; unset, logging is left as Python and gunicorn set it up.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from datetime import UTC, datetime

from flask import Flask, Response, current_app, g, has_request_context, request

# What a proxy may pass: nginx's $request_id is 32 hex characters.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")
LOGGERS = ("community", "flask.app")


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def _take_or_make_id() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    behind_proxy = current_app.config["TRUSTED_PROXY_COUNT"] > 0
    g.request_id = (
        incoming if behind_proxy and WELL_FORMED.fullmatch(incoming) else secrets.token_hex(16)
    )


def _send_id(response: Response) -> Response:
    identifier = request_id()
    if identifier:
        response.headers["X-Request-ID"] = identifier
    return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None) on every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def init_app(app: Flask) -> None:
    app.before_request(_take_or_make_id)
    app.after_request(_send_id)
    log_format = app.config.get("LOG_FORMAT")
    if log_format not in {"json", "text"}:
        return
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.set_name("leerkring")
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if h.get_name() == "leerkring"]:
            logger.removeHandler(old)  # a second app in one process: one handler each time
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
