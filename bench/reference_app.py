"""The cookie-only reference page of the load runner: what a minimal Flask page costs.

Flask + Jinja + SQLAlchemy, one query, a logged-in session that is only read: it reads
the same signed session cookie as Leerkring (same SECRET_KEY) and checks nothing against
the database, runs one query on the same database and renders a page of about the byte
size asked for (`?bytes=`) from a template file (compiled once, as Flask caches it). The
page is real text: rows of `search_documents` (titles and bodies of cases, contributions,
approaches and meetings), as many as the size needs, repeated when the table has fewer.
Each key page's throughput is reported as a ratio to this page at the same size, in the
same run: ratios survive a noisy machine, absolute figures do not.

    DATABASE_URL=... SECRET_KEY=... gunicorn -w 2 'bench.reference_app:create_app()'
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Sequence
from typing import Any

from flask import Flask, abort, render_template, request, session
from sqlalchemy import Engine, Row, create_engine, text

QUERY = text("SELECT title, body FROM search_documents ORDER BY id LIMIT :rows")
AVERAGE = text(
    "SELECT avg(length(title) + length(body)) FROM "
    "(SELECT title, body FROM search_documents ORDER BY id LIMIT 1000) AS sample"
)
# The template's bytes around the rows, and around each row (<article><h2>…</h2><p>…</p>…).
LAYOUT_BYTES = 250
ROW_MARKUP_BYTES = 40
MIN_BYTES, MAX_BYTES = 500, 2_000_000


def sqlalchemy_url(raw: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw.removeprefix(prefix)
    return raw


def rows_for(rows: Sequence[Row[Any]], size: int) -> list[Row[Any]]:
    """Rows (repeated when there are too few) until their text fills `size` bytes."""
    chosen: list[Row[Any]] = []
    filled = LAYOUT_BYTES
    for row in itertools.cycle(rows) if rows else ():
        if filled >= size:
            break
        chosen.append(row)
        filled += len(row.title) + len(row.body) + ROW_MARKUP_BYTES
    return chosen


def create_app(
    database_url: str | None = None,
    secret_key: str | None = None,
    engine_options: dict[str, Any] | None = None,
    session_cookie: str | None = None,
) -> Flask:
    """The app on `database_url` (else $DATABASE_URL), reading the session cookie named
    `session_cookie` (else $SESSION_COOKIE_NAME, else Flask's `session`) signed with
    `secret_key` (else $SECRET_KEY)."""
    app = Flask(__name__, template_folder="reference_templates")
    app.secret_key = secret_key or os.environ["SECRET_KEY"]
    app.config["SESSION_COOKIE_NAME"] = session_cookie or os.environ.get(
        "SESSION_COOKIE_NAME", "session"
    )
    engine: Engine = create_engine(
        sqlalchemy_url(database_url or os.environ["DATABASE_URL"]),
        **{"pool_pre_ping": True, **(engine_options or {})},
    )
    app.extensions["reference_engine"] = engine  # for whoever must dispose of it
    average: list[float] = []  # the rows' mean length, read once per process

    @app.route("/")
    def page() -> str:
        user = str(session.get("_user_id", "")).split(":")[0]
        if not user:
            abort(403)  # the benchmark must send a logged-in session, as for the real pages
        size = max(min(request.args.get("bytes", 20_000, type=int), MAX_BYTES), MIN_BYTES)
        with engine.connect() as connection:
            if not average:
                average.append(float(connection.scalar(AVERAGE) or 100) + ROW_MARKUP_BYTES)
            wanted = math.ceil((size - LAYOUT_BYTES) / average[0] * 1.2) + 1
            rows = connection.execute(QUERY, {"rows": wanted}).all()
        return render_template("reference.html", user=user, rows=rows_for(rows, size))

    return app
