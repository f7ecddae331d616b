"""Concurrent writes against real worker processes: no 500, one object, the normal answer.

gunicorn with two workers (two threads each) serves the app with production settings
on a loopback port, on an SQLite file and (with --postgres) on PostgreSQL. Requests are
fired at the same moment from threads behind a barrier: a double-clicked contribution
and case (same idempotency key), two moderators approving one join request, and
browsers whose "last seen" note is due, all at once.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from sqlalchemy import func, select, update

from community import mail
from community.models import (
    Case,
    Contribution,
    Membership,
    Notification,
    OutboxMessage,
    UserSession,
)
from community.models.base import utcnow
from tests.conftest import PASSWORD
from tests.live import Browser, Reply, at_once, gunicorn, prepared, served_app

ROUNDS = 3  # races per kind: each round is a fresh race


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, database_config: dict[str, Any], tmp_path: Path) -> Any:
    """This module's app: an SQLite file, or (with --postgres) the PostgreSQL schema."""
    with served_app(request, database_config, tmp_path) as application:
        yield application


@pytest.fixture
def world(app, db, make_user, make_community, make_membership, make_case):
    community = make_community()
    moderators = []
    for _ in range(2):
        moderator = make_user(totp_secret=pyotp.random_base32())
        make_membership(moderator, community, role="moderator")
        moderators.append(moderator)
    member = make_user()
    make_membership(member, community)
    case = make_case(community, moderators[0])
    applicants = [make_user() for _ in range(ROUNDS)]
    requests = [make_membership(a, community, status="requested") for a in applicants]
    db.session.commit()
    return {
        "slug": community.slug,
        "community_id": community.id,
        "case_id": case.id,
        "member": (member.email, member.id),
        "moderators": [(m.email, m.totp_secret) for m in moderators],
        "requests": [
            (r.id, a.id, a.name, a.email) for r, a in zip(requests, applicants, strict=True)
        ],
    }


@pytest.fixture
def live(app, db, tmp_path: Path):
    db.session.remove()  # the test holds no transaction while the servers work
    with gunicorn(app.config["LIVE_DATABASE_URL"], tmp_path) as host:
        yield host


def _count(db: Any, model: Any, *where: Any) -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _no_server_errors(replies: list[Reply]) -> None:
    assert [r.status for r in replies if r.status >= 500] == [], [r.body[:300] for r in replies]


def _stale_last_seen(db: Any) -> None:
    """Every browser is due for its "last seen" note, so the next GETs all want to write."""
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    db.session.remove()


def test_concurrent_double_submits_and_approvals(app, db, world, live):
    slug, case_id = world["slug"], world["case_id"]
    member = Browser(live)
    member.log_in(world["member"][0], PASSWORD)
    moderators = []
    for email, secret in world["moderators"]:
        moderator = Browser(live)
        moderator.log_in(email, PASSWORD, secret)  # staff: the second factor is required
        moderators.append(moderator)
    case_page = f"/c/{slug}/cases/{case_id}"

    for round_ in range(ROUNDS):
        _stale_last_seen(db)
        contribution_form = member.form(case_page)
        case_form = member.form(f"/c/{slug}/cases/new")
        request_id, applicant_id, applicant_name, applicant_email = world["requests"][round_]
        decision_forms = [m.form(f"/c/{slug}/members") for m in moderators]
        _stale_last_seen(db)
        contribution = {
            "csrf_token": contribution_form["csrf_token"],
            "idempotency_key": contribution_form["idempotency_key"],
            "kind": "comment",
            "body": f"Dubbel geklikt, ronde {round_}.",
        }
        new_case = {
            "csrf_token": case_form["csrf_token"],
            "idempotency_key": case_form["idempotency_key"],
            "title": f"Dubbel ingediend {round_}",
            "context": "Wat er speelt.",
            "question": "Wat is de hulpvraag?",
            "action": "publish",
        }
        approve = f"/c/{slug}/requests/{request_id}/approve"
        calls = [
            prepared(member, "POST", f"{case_page}/contributions", contribution),
            prepared(member, "POST", f"{case_page}/contributions", contribution),
            prepared(member, "POST", f"/c/{slug}/cases/new", new_case),
            prepared(member, "POST", f"/c/{slug}/cases/new", new_case),
            *[
                prepared(m, "POST", approve, {"csrf_token": f["csrf_token"], "message": ""})
                for m, f in zip(moderators, decision_forms, strict=True)
            ],
            *[prepared(m, "GET", "/") for m in moderators],
        ]
        replies = at_once(calls)
        _no_server_errors(replies)
        posted, cases, approvals, pages = replies[:2], replies[2:4], replies[4:6], replies[6:]

        # The double-clicked contribution: one row, and both clicks land on it.
        assert [r.status for r in posted] == [302, 302]
        key = Contribution.idempotency_key == contribution["idempotency_key"]
        assert _count(db, Contribution, key) == 1
        targets = {re.sub(r".*#", "#", r.location) for r in posted}
        assert len(targets) == 1
        assert targets.pop().startswith("#bijdrage-")

        # The double-submitted case: one case, both submits go to it.
        assert [r.status for r in cases] == [302, 302]
        assert _count(db, Case, Case.idempotency_key == new_case["idempotency_key"]) == 1
        assert len({r.location for r in cases}) == 1
        assert "/cases/" in cases[0].location

        # Two moderators approve one request: one decision, the other hears it was taken.
        assert [r.status for r in approvals] == [302, 302]  # never a 403 for a moderator
        said = [m.get(r.location).body for m, r in zip(moderators, approvals, strict=True)]
        assert sum("Over deze aanvraag is al beslist." in page for page in said) == 1
        assert sum(f"{applicant_name} is nu lid." in page for page in said) == 1
        decided = Membership.id == request_id, Membership.status == "active"
        assert _count(db, Membership, *decided) == 1
        approved = (
            Notification.recipient_id == applicant_id,
            Notification.kind == "request_approved",
        )
        assert _count(db, Notification, *approved) == 1
        welcome = (
            OutboxMessage.recipient == applicant_email,
            OutboxMessage.subject.contains("goedgekeurd"),
        )
        assert _count(db, OutboxMessage, *welcome) == 1  # one mail, from the winner's commit
        assert [r.status for r in pages] == [200, 200]

    # The servers only queued the mail (production: MAIL_DELIVERY=worker); the worker
    # delivers all of it.
    assert _count(db, OutboxMessage, OutboxMessage.sent_at.is_(None)) > 0
    mail.deliver_due(app)
    assert _count(db, OutboxMessage, OutboxMessage.sent_at.is_(None)) == 0
    assert _count(db, UserSession, UserSession.last_seen_at > utcnow() - timedelta(minutes=1)) == 3
