"""The load runner's yardsticks answer a logged-in Leerkring session on the bench data.

The typical application (bench/typical_app.py) and the cookie-only reference page
(bench/reference_app.py) read Leerkring's signed session cookie, on the `tiny` data set
from the benchmark generator. No timings: status codes and what the pages show.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench import benchdata, reference_app, typical_app
from bench.benchdata.scales import BENCH_EMAIL, BENCH_PASSWORD
from bench.cpu import share_cookies, typical_path
from community.extensions import db
from community.models import User
from tests.conftest import database, login, make_app

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _config(database_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """The yardsticks open their own engine: SQLite must be a file, not memory."""
    if database_config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'bench.sqlite3'}"}
    return database_config


def test_typical_and_reference_apps_answer_a_leerkring_session(database_config, tmp_path):
    config = _config(database_config, tmp_path)
    app = make_app(config)
    with database(app):
        with app.test_request_context():
            data = benchdata.generate("tiny", report=lambda _line: None)
        client = app.test_client()
        login(client, BENCH_EMAIL, BENCH_PASSWORD)
        typical, reference = (
            module.create_app(
                config["SQLALCHEMY_DATABASE_URI"],
                app.config["SECRET_KEY"],
                engine_options=config.get("SQLALCHEMY_ENGINE_OPTIONS"),
                session_cookie=app.config["SESSION_COOKIE_NAME"],
            ).test_client()
            for module in (typical_app, reference_app)
        )
        try:
            anonymous = typical.application.test_client(), reference.application.test_client()
            share_cookies(app, client, typical, reference)
            bench_user = db.session.scalar(select(User).where(User.email == BENCH_EMAIL))
            assert bench_user is not None

            # The typical page: the user loaded per request, 50 rows, a form with its token.
            path = typical_path(data)
            page = typical.get(path)
            assert page.status_code == 200
            html = page.get_data(as_text=True)
            assert len(re.findall(r'<article class="contribution ', html)) == 50
            assert f">{bench_user.name}</a>" in html
            token = CSRF.search(html)
            assert token, "no CSRF token in the typical page"
            comment = {"body": "Eens.", "csrf_token": token[1]}
            assert typical.post(path, data=comment).status_code == 302
            assert typical.post(path, data={"body": "Eens."}).status_code == 400
            assert anonymous[0].get(path).status_code == 401

            # The reference page: real rows up to the size asked for, no padding.
            page = reference.get("/?bytes=20000")
            assert page.status_code == 200
            html = page.get_data(as_text=True)
            assert 18_000 <= len(page.get_data()) <= 22_000
            assert "xxxxxxxxxx" not in html
            assert html.count("<article>") >= 10
            assert anonymous[1].get("/?bytes=20000").status_code == 403

            # Ending the user's sessions (a new session token) ends them for the typical app
            # too: its user_loader reads the account on every request.
            bench_user.session_token = "rotated"
            db.session.commit()
            assert typical.get(path).status_code == 401
        finally:
            with typical.application.app_context():
                typical_app.db.engine.dispose()
            reference.application.extensions["reference_engine"].dispose()
