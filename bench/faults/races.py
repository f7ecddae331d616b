"""F10: races through the whole stack, fired truly at once (threads behind a barrier)."""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable

from bench.faults.client import Browser, Reply, TransportError
from bench.faults.fixture import Fixture

_CONTRIBUTION = re.compile(r"#bijdrage-(\d+)$")
_REQUEST = re.compile(r'/c/[^/"]+/requests/(\d+)/approve')


def _at_once(calls: list[Callable[[], Reply]]) -> list[Reply | Exception]:
    barrier = threading.Barrier(len(calls), timeout=60)
    replies: list[Reply | Exception] = [TransportError("did not run")] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            replies[index] = calls[index]()
        except Exception as error:  # noqa: BLE001 - reported as a finding
            replies[index] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return replies


def _copies(browser: Browser, count: int) -> list[Browser]:
    """Tabs of one browser: the same cookies, a connection each."""
    return [
        Browser(browser.host, browser.port, browser.cafile, dict(browser.cookies))
        for _ in range(count)
    ]


def _server_errors(replies: list[Reply | Exception]) -> list[str]:
    return [
        repr(r) if isinstance(r, Exception) else f"{r.status}"
        for r in replies
        if isinstance(r, Exception) or r.status >= 500 or r.traceback
    ]


def run(fixture: Fixture, make_browser: Callable[[], Browser], candidate: str) -> list[str]:
    """The four races; returns the violations (empty: consistent state everywhere)."""
    from sqlalchemy import func, select

    from community import create_app
    from community.extensions import db
    from community.models import Case, Community, Contribution, Membership, User

    violations: list[str] = []
    app = create_app()
    slug = fixture.slug
    moderator = make_browser()
    moderator.log_in(fixture.moderator, fixture.password, fixture.moderator_totp)

    # 1. 20 parallel approvals of one join request: one active membership.
    joiner = make_browser()
    joiner.log_in(candidate, fixture.password)
    _, fields = joiner.hidden_fields(f"/c/{slug}")
    joiner.post(f"/c/{slug}/join", {"csrf_token": fields["csrf_token"], "motivation": "Race"})
    page, fields = moderator.hidden_fields(f"/c/{slug}/members")
    with app.app_context():
        pending = db.session.scalar(
            select(Membership.id)
            .join(User, Membership.user_id == User.id)
            .where(User.email == candidate, Membership.status == "requested")
        )
    if pending is None:
        violations.append("F10 approvals: the join request was not stored")
    else:
        tabs = _copies(moderator, 20)
        replies = _at_once(
            [
                (
                    lambda t=t: t.post(
                        f"/c/{slug}/requests/{pending}/approve",
                        {"csrf_token": fields["csrf_token"]},
                    )
                )
                for t in tabs
            ]
        )
        violations += [f"F10 approvals: {e}" for e in _server_errors(replies)]
        with app.app_context():
            rows = db.session.execute(
                select(Membership.status)
                .join(User, Membership.user_id == User.id)
                .join(Community, Membership.community_id == Community.id)
                .where(User.email == candidate, Community.slug == slug)
            ).all()
        if [tuple(r) for r in rows] != [("active",)]:
            violations.append(f"F10 approvals: memberships {rows}, expected one active")

    # 2. A contribution submitted ten times at once with one key: one contribution.
    author = make_browser()
    author.log_in(fixture.members[1], fixture.password)
    _, fields = author.hidden_fields(f"/c/{slug}")
    key = "race-" + secrets.token_hex(8)
    case = fixture.cases[0]
    form = {
        "csrf_token": fields["csrf_token"],
        "kind": "comment",
        "body": f"Dubbel {key}",
        "idempotency_key": key,
    }
    replies = _at_once(
        [
            (lambda t=t: t.post(f"/c/{slug}/cases/{case}/contributions", form))
            for t in _copies(author, 10)
        ]
    )
    violations += [f"F10 double submit: {e}" for e in _server_errors(replies)]
    ids = {
        m.group(1)
        for r in replies
        if isinstance(r, Reply) and (m := _CONTRIBUTION.search(r.location))
    }
    with app.app_context():
        stored = db.session.scalar(
            select(func.count())
            .select_from(Contribution)
            .where(Contribution.idempotency_key == key)
        )
    if stored != 1 or len(ids) != 1:
        violations.append(f"F10 double submit: {stored} stored, ids answered {ids}")

    # 3. Two editors on one case: one saves, the stale edit gets 409.
    editor_email = fixture.members[0]
    editors = [make_browser(), make_browser()]
    forms = []
    for n, editor in enumerate(editors):
        editor.log_in(editor_email, fixture.password)
        page, fields = editor.hidden_fields(f"/c/{slug}/cases/{case}/edit")
        version = re.search(
            r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', page.body
        )
        forms.append(
            {
                "csrf_token": fields["csrf_token"],
                "version": (version.group(1) or version.group(2)) if version else "",
                "title": f"Proefcasus bewerkt door redacteur {n}",
                "theme": "0",
                "context": "Wat speelt er in de stad.",
                "question": "Hoe pakken jullie dit aan?",
                "action": "publish",
            }
        )
    replies = _at_once(
        [
            (lambda e=e, f=f: e.post(f"/c/{slug}/cases/{case}/edit", f))
            for e, f in zip(editors, forms, strict=True)
        ]
    )
    statuses = sorted(r.status if isinstance(r, Reply) else 0 for r in replies)
    if statuses != [302, 409]:
        violations.append(f"F10 two editors: answers {statuses}, expected one 302 and one 409")
    with app.app_context():
        title = db.session.scalar(select(Case.title).where(Case.id == case))
    winner = next(
        (
            f["title"]
            for r, f in zip(replies, forms, strict=True)
            if isinstance(r, Reply) and r.status == 302
        ),
        None,
    )
    if title != winner:
        violations.append(f"F10 two editors: stored {title!r}, saved {winner!r}")

    # 4. A member leaves while the moderator removes them: no membership, no 500.
    leaver_email = fixture.members[-1]
    leaver = make_browser()
    leaver.log_in(leaver_email, fixture.password)
    _, fields = leaver.hidden_fields(f"/c/{slug}/leave")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == leaver_email))
    _, moderator_fields = moderator.hidden_fields(f"/c/{slug}/members/{user_id}/remove")
    replies = _at_once(
        [
            lambda: leaver.post(f"/c/{slug}/leave", {"csrf_token": fields["csrf_token"]}),
            lambda: moderator.post(
                f"/c/{slug}/members/{user_id}/remove",
                {"csrf_token": moderator_fields["csrf_token"], "reason": ""},
            ),
        ]
    )
    violations += [f"F10 leave and remove: {e}" for e in _server_errors(replies)]
    with app.app_context():
        rows = db.session.execute(
            select(Membership.status)
            .join(Community, Membership.community_id == Community.id)
            .where(Membership.user_id == user_id, Community.slug == slug)
        ).all()
    if any(status == "active" for (status,) in rows) or len(rows) > 1:
        violations.append(f"F10 leave and remove: memberships afterwards {rows}")
    return violations
