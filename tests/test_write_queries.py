"""Writes that notify many people cost the same number of SQL statements for 2 as for 50.

Each test runs one request through the real route twice, in worlds that differ only in
the number of recipients, and compares the statements it ran (the counts are printed:
`pytest -s tests/test_write_queries.py`). The recipients, half of them in English, all
get the notification and, by their settings, the e-mail; it is queued in the outbox in
the request and delivered by the worker afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from community.extensions import db as _db
from community.models import Approach, Membership, Notification, OutboxMessage, Rsvp
from community.models.base import utcnow
from tests.conftest import count_queries, login

FEW, MANY = 2, 50


World = Callable[[int], tuple[Any, str, dict[str, str]]]


def _count(app: Any, world: World, n: int) -> int:
    """Statements of the request `world(n)` sets up (each world has a community of its own)."""
    client, url, data = world(n)
    before = _notifications()
    with count_queries(app) as statements:
        response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _notifications() > before
    return len(statements)


def _notifications() -> int:
    return int(_db.session.scalar(select(func.count()).select_from(Notification)) or 0)


def _compare(name: str, app: Any, world: World) -> int:
    """The number of notifications the larger world's request made."""
    few = _count(app, world, FEW)
    before = _notifications()
    many = _count(app, world, MANY)
    print(f"\n{name}: {few} statements for {FEW} recipients, {many} for {MANY}")
    assert few == many, (name, few, many)
    return _notifications() - before


def _people(make_user: Callable[..., Any], n: int) -> list[Any]:
    return [make_user(locale="en" if i % 2 else "nl") for i in range(n)]


def test_posting_a_contribution(
    app, make_user, make_community, make_membership, make_case, make_contribution
):
    def world(n: int) -> tuple[Any, str, dict[str, str]]:
        community = make_community()
        poster, author, *others = _people(make_user, n + 1)
        for person in (poster, author, *others):
            make_membership(person, community)
        case = make_case(community, author)
        for person in others:
            make_contribution(case, person)
        client = app.test_client()
        login(client, poster.email)
        url = f"/c/{community.slug}/cases/{case.id}/contributions"
        return client, url, {"kind": "comment", "body": "Een reactie."}

    # Every participant but the poster: the author and the n - 1 contributors.
    assert _compare("posting a contribution", app, world) == MANY
    assert _db.session.scalar(select(func.count()).select_from(OutboxMessage)) == FEW + MANY


def test_posting_a_contribution_that_mentions_members(
    app, make_user, make_community, make_membership, make_case
):
    """@mentions: one look-up for every name, one INSERT for every notification."""

    def world(n: int) -> tuple[Any, str, dict[str, str]]:
        community = make_community()
        poster, author, *mentioned = _people(make_user, n + 1)
        outsider = make_user()  # an account outside the community: named back, not notified
        for person in (poster, author, *mentioned):
            make_membership(person, community)
        case = make_case(community, author)
        client = app.test_client()
        login(client, poster.email)
        url = f"/c/{community.slug}/cases/{case.id}/contributions"
        names = " ".join(f"@{person.name}," for person in (*mentioned, outsider))
        return client, url, {"kind": "comment", "body": f"Wat vinden jullie? {names}"}

    # The n - 1 mentioned members, and the author of the case (a participant).
    assert _compare("posting a contribution with mentions", app, world) == MANY
    kinds = _db.session.scalars(select(Notification.kind)).all()
    assert kinds.count("mention") == (FEW - 1) + (MANY - 1)


def test_publishing_a_case(app, make_user, make_community, make_membership, make_case):
    def world(n: int) -> tuple[Any, str, dict[str, str]]:
        community = make_community()
        author, *members = _people(make_user, n + 1)
        for person in (author, *members):
            make_membership(person, community)
        case = make_case(community, author, phase="draft")
        client = app.test_client()
        login(client, author.email)
        return client, f"/c/{community.slug}/cases/{case.id}/phase", {"phase": "questions"}

    assert _compare("publishing a case", app, world) == MANY


def test_approving_a_join_request(app, make_user, make_community, make_membership):
    """The applicant hears it; the moderators (n of them) and members do not change the cost."""

    def world(n: int) -> tuple[Any, str, dict[str, str]]:
        community = make_community()
        applicant, *moderators = _people(make_user, n + 1)
        for person in moderators:
            make_membership(person, community, role="moderator")
        request = make_membership(applicant, community, status="requested")
        client = app.test_client()
        login(client, moderators[0].email)
        return client, f"/c/{community.slug}/requests/{request.id}/approve", {}

    assert _compare("approving a join request", app, world) == 1
    assert not _db.session.scalar(select(Membership.id).where(Membership.status == "requested"))


def _approach(community: Any, author: Any, **values: Any) -> Approach:
    approach = Approach(
        community_id=community.id,
        author_id=author.id,
        organisation_id=author.organisation_id,
        title="Eigenarenavond",
        **values,
    )
    _db.session.add(approach)
    _db.session.commit()
    return approach


def test_asking_to_publish_an_approach_in_the_library(
    app, make_user, make_community, make_membership
):
    """The author asks; every moderator of the community hears it."""

    def world(n: int) -> tuple[Any, str, dict[str, str]]:
        community = make_community()
        author, *moderators = _people(make_user, n + 1)
        make_membership(author, community)
        for person in moderators:
            make_membership(person, community, role="moderator")
        approach = _approach(community, author)
        client = app.test_client()
        login(client, author.email)
        return client, f"/approaches/{approach.id}/share", {}

    assert _compare("asking to publish an approach", app, world) == MANY


def test_publishing_an_approach_in_the_library(app, make_user, make_community, make_membership):
    """A moderator approves; the author hears it, whatever the number of moderators."""

    def world(n: int) -> tuple[Any, str, dict[str, str]]:
        community = make_community()
        author, *moderators = _people(make_user, n + 1)
        make_membership(author, community)
        for person in moderators:
            make_membership(person, community, role="moderator")
        approach = _approach(community, author, library_requested_at=utcnow())
        client = app.test_client()
        login(client, moderators[0].email)
        return client, f"/approaches/{approach.id}/share/approve", {}

    assert _compare("publishing an approach", app, world) == 1
    assert set(_db.session.scalars(select(Approach.scope))) == {"library"}


def test_reporting_content(app, make_user, make_community, make_membership, make_case):
    """A member flags a case; every moderator of the community hears it (and gets the
    mail), in the same number of statements for 2 moderators as for 50."""

    def world(n: int) -> tuple[Any, str, dict[str, str]]:
        community = make_community()
        reporter, author, *moderators = _people(make_user, n + 2)
        for person in (reporter, author):
            make_membership(person, community)
        for person in moderators:
            make_membership(person, community, role="moderator")
        case = make_case(community, author)
        client = app.test_client()
        login(client, reporter.email)
        return client, "/flags", {"target": f"case:{case.id}", "reason": "other"}

    assert _compare("reporting content", app, world) == MANY
    assert _db.session.scalar(select(func.count()).select_from(OutboxMessage)) == FEW + MANY


def test_asking_to_join(app, make_user, make_community, make_membership):
    """Someone asks to join; every moderator hears it, at the same cost for 2 as for 50."""

    def world(n: int) -> tuple[Any, str, dict[str, str]]:
        community = make_community()
        applicant, *moderators = _people(make_user, n + 1)
        for person in moderators:
            make_membership(person, community, role="moderator")
        client = app.test_client()
        login(client, applicant.email)
        return client, f"/c/{community.slug}/join", {"motivation": "Ik wil graag meedoen."}

    assert _compare("asking to join", app, world) == MANY
    assert _db.session.scalar(select(func.count()).select_from(OutboxMessage)) == FEW + MANY


def _meeting_form(title: str) -> dict[str, str]:
    return {
        "title": title,
        "kind": "meeting",
        "starts_at": "2099-03-12T09:30",
        "ends_at": "2099-03-12T12:00",
        "location": "Stadhuis",
        "host": "0",
        "online_url": "",
        "agenda": "",
        "capacity": "",
    }


def test_scheduling_a_meeting(app, make_user, make_community, make_membership):
    def world(n: int) -> tuple[Any, str, dict[str, str]]:
        community = make_community()
        moderator, *others = _people(make_user, n + 1)
        make_membership(moderator, community, role="moderator")
        for person in others:
            make_membership(person, community)
        client = app.test_client()
        login(client, moderator.email)
        return client, f"/c/{community.slug}/meetings/new", _meeting_form("Werksessie")

    assert _compare("scheduling a meeting", app, world) == MANY


def test_moving_a_meeting(app, make_user, make_community, make_membership, make_meeting):
    def world(n: int) -> tuple[Any, str, dict[str, str]]:
        community = make_community()
        moderator, *others = _people(make_user, n + 1)
        make_membership(moderator, community, role="moderator")
        meeting = make_meeting(community, title="Werksessie")
        for person in others:
            make_membership(person, community)
            _db.session.add(Rsvp(meeting_id=meeting.id, user_id=person.id, response="yes"))
        _db.session.commit()
        client = app.test_client()
        login(client, moderator.email)
        form = _meeting_form("Werksessie") | {
            "starts_at": "2099-04-01T13:00",
            "ends_at": "2099-04-01T15:00",
        }
        return client, f"/c/{community.slug}/meetings/{meeting.id}/edit", form

    assert _compare("moving a meeting", app, world) == MANY
