"""One transaction per request: committed once after success, rolled back on any failure.

Test routes that write and then succeed, refuse (`fail()` through the form helpers),
abort or raise show what `community.transaction` commits; mail follows the commit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import abort, redirect
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from community import mail
from community.exceptions import DomainError
from community.extensions import db as _db
from community.formtools import apply_domain_error, flash_refusal
from community.models import OutboxMessage, Theme
from tests.conftest import database, login, make_app


def _write(slug: str) -> None:
    _db.session.add(Theme(slug=slug, pillar="Fysiek", name_nl=slug, name_en=slug))
    _db.session.flush()
    mail.enqueue(f"{slug}@x.example", slug, "password_changed", user=type("U", (), {"name": "A"}))


def _ok() -> str:
    _write("ok")
    return "ok"


def _ok_redirect() -> object:
    _write("ok-redirect")
    return redirect("/")


def _refused_form() -> str:
    _write("refused-form")
    apply_domain_error(FlaskForm(meta={"csrf": False}), DomainError(None, "nee"))
    _write("after-refusal")  # the request stays failed
    return "form with errors"


def _refused_redirect() -> object:
    _write("refused-redirect")
    flash_refusal(DomainError(None, "nee"))
    return redirect("/")


def _aborted() -> str:
    _write("aborted")
    abort(404)


def _crashed() -> str:
    _write("crashed")
    raise RuntimeError("boom")


ROUTES = {
    "ok": (_ok, 200, True),
    "ok-redirect": (_ok_redirect, 302, True),
    "refused-form": (_refused_form, 200, False),
    "refused-redirect": (_refused_redirect, 302, False),
    "aborted": (_aborted, 404, False),
    "crashed": (_crashed, 500, False),
}


@pytest.fixture
def app(database_config):
    application = make_app(database_config, PROPAGATE_EXCEPTIONS=False)
    for name, (view, _status, _kept) in ROUTES.items():
        application.add_url_rule(f"/test/{name}", f"test_{name}", view, methods=["POST"])
    with database(application):
        yield application


def _themes(db) -> set[str]:
    return set(db.session.scalars(select(Theme.slug)))


@pytest.mark.parametrize("name", list(ROUTES))
def test_the_request_commits_only_what_succeeded(app, client, db, outbox, make_user, name):
    login(client, make_user().email)
    _view, status, kept = ROUTES[name]
    assert client.post(f"/test/{name}").status_code == status
    db.session.expire_all()
    stored = _themes(db)
    assert (name in stored) is kept
    assert "after-refusal" not in stored
    # Mail only for a change that was committed; a rolled-back one leaves no outbox row.
    assert [m["To"] for m in outbox] == ([f"{name}@x.example"] if kept else [])
    rows = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert rows == (1 if kept else 0)


def test_a_commit_that_fails_is_the_error_page(app, client, db, make_user):
    """A success response means the data is stored: a failing commit is a 500, not a 200."""
    from flask import has_request_context
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    login(client, make_user().email)

    def broken(session: Session) -> None:
        if has_request_context():
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    event.listen(Session, "before_commit", broken)
    try:
        response = client.post("/test/ok")
    finally:
        event.remove(Session, "before_commit", broken)
    assert response.status_code == 500
    assert "niet opgeslagen" in response.get_data(as_text=True)
    db.session.expire_all()
    assert "ok" not in _themes(db)


def test_no_view_commits_or_rolls_back():
    """The one place is `community.transaction`; views only change the session."""
    root = Path(__file__).resolve().parent.parent / "community"
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*views.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"session\.(commit|rollback)\(", line)
    ]
    assert offenders == []
