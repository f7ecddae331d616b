"""The reference page of the load runner: what a minimal Flask page costs on this machine.

Flask + Jinja + SQLAlchemy, one query, a logged-in session: it reads the same signed
session cookie as Leerkring (same SECRET_KEY), runs one query on the same database and
renders a page of the byte size asked for (`?bytes=`). Each key page's throughput is
reported as a ratio to this page at the same size, in the same run: ratios survive a
noisy machine, absolute figures do not.

    DATABASE_URL=... SECRET_KEY=... gunicorn -w 2 bench.reference_app:app
"""

from __future__ import annotations

import os

from flask import Flask, abort, render_template_string, request, session
from sqlalchemy import create_engine, text

TEMPLATE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Referentie</title></head>
<body><header><p>Ingelogd als gebruiker {{ user }}</p></header><main><h1>Referentie</h1>
{% for row in rows %}<article><h2>{{ row.title }}</h2><p>{{ row.body }}</p></article>
{% endfor %}<p></p></main></body></html>"""


def _url(raw: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw.removeprefix(prefix)
    return raw


app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
engine = create_engine(_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)
QUERY = text("SELECT title, body FROM search_documents ORDER BY id LIMIT :rows")


@app.route("/")
def page() -> str:
    user = str(session.get("_user_id", "")).split(":")[0]
    if not user:
        abort(403)  # the benchmark must send a logged-in session, as for the real pages
    size = max(min(request.args.get("bytes", 20_000, type=int), 2_000_000), 500)
    with engine.connect() as connection:
        rows = connection.execute(QUERY, {"rows": max(size // 1000, 1)}).all()
    html = render_template_string(TEMPLATE, user=user, rows=rows)
    # Pad to the exact size (the rows are chosen to fall short of it).
    missing = max(size - len(html.encode()), 0)
    return html.replace("<p></p></main>", "<p>" + "x" * max(missing - 7, 0) + "</p></main>")
