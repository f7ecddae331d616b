"""The reminder the day before a meeting (issue 15): once, to those coming, bounded."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from community.meetings.reminders import send_reminders
from community.models import Meeting, Notification, Rsvp
from community.models.base import utcnow
from tests.conftest import count_queries, login


@pytest.fixture
def kring(make_community, make_membership, make_user):
    community = make_community(name="Aanloopstraten")
    people = {
        key: make_user(name=name, email_mode="each")
        for key, name in (
            ("yes", "Ja Zeker"),
            ("maybe", "Mis Schien"),
            ("no", "Nee Helaas"),
            ("waiting", "Wacht Lijst"),
            ("silent", "Stil Lid"),
            ("gone", "Oud Lid"),
        )
    }
    for key, person in people.items():
        make_membership(person, community, status="left" if key == "gone" else "active")
    return community, people


def _created_long_ago(db, meeting: Meeting) -> Meeting:
    meeting.created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    return meeting


def _respond(db, meeting, people, responses) -> None:
    for key, response, waitlisted in responses:
        db.session.add(
            Rsvp(
                meeting_id=meeting.id,
                user_id=people[key].id,
                response=response,
                waitlisted=waitlisted,
            )
        )
    db.session.commit()


def _reminded(db) -> set[int]:
    return set(
        db.session.scalars(
            select(Notification.recipient_id).where(Notification.kind == "meeting_reminder")
        )
    )


RESPONSES = [
    ("yes", "yes", False),
    ("maybe", "maybe", False),
    ("no", "no", False),
    ("waiting", "yes", True),
    ("gone", "yes", False),
]


def test_those_coming_are_reminded_once_the_day_before(
    app, db, client, outbox, kring, make_meeting
):
    community, people = kring
    meeting = _created_long_ago(
        db,
        make_meeting(community, title="Werksessie", starts_at=utcnow() + timedelta(hours=20)),
    )
    _respond(db, meeting, people, RESPONSES)
    with app.test_request_context(base_url=app.config["BASE_URL"]):
        assert send_reminders() == 1
        db.session.commit()
        assert send_reminders() == 0  # a second run (or worker) finds nothing left
        db.session.commit()
    assert _reminded(db) == {people["yes"].id, people["maybe"].id}

    mails = [m for m in outbox if "Herinnering: Werksessie begint op" in m["Subject"]]
    assert sorted(m["To"] for m in mails) == sorted([people["yes"].email, people["maybe"].email])
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert f"/c/{community.slug}/meetings/{meeting.id}" in body
    assert mails[0]["List-Unsubscribe"]

    login(client, people["yes"].email)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Herinnering: Werksessie begint op" in page
    assert "uur" in page  # the time, in Dutch


def test_not_yet_and_not_after_the_start(app, db, kring, make_meeting):
    community, people = kring
    later = _created_long_ago(db, make_meeting(community, starts_at=utcnow() + timedelta(hours=30)))
    past = _created_long_ago(db, make_meeting(community, starts_at=utcnow() - timedelta(hours=1)))
    for meeting in (later, past):
        _respond(db, meeting, people, [("yes", "yes", False)])
    with app.test_request_context():
        assert send_reminders() == 0
    assert _reminded(db) == set()
    with app.test_request_context():
        assert send_reminders(now=utcnow() + timedelta(hours=7)) == 1  # the day before
        db.session.commit()
    assert _reminded(db) == {people["yes"].id}


def test_a_meeting_scheduled_inside_the_day_is_not_reminded_of(app, db, kring, make_meeting):
    community, people = kring
    meeting = make_meeting(community, starts_at=utcnow() + timedelta(hours=5))  # created now
    _respond(db, meeting, people, [("yes", "yes", False)])
    with app.test_request_context():
        assert send_reminders() == 0
        db.session.commit()
    db.session.refresh(meeting)
    assert meeting.reminder_sent_at is not None  # claimed, so never reminded later
    assert _reminded(db) == set()


def test_moving_a_meeting_reminds_again_for_the_new_time(
    app, db, client, kring, make_meeting, make_user, make_membership
):
    community, people = kring
    moderator = make_user(name="Mo Derator")
    make_membership(moderator, community, role="moderator")
    starts = utcnow() + timedelta(hours=20)
    meeting = _created_long_ago(db, make_meeting(community, title="Werksessie", starts_at=starts))
    _respond(db, meeting, people, [("yes", "yes", False)])
    with app.test_request_context():
        assert send_reminders() == 1
        db.session.commit()
    login(client, moderator.email)
    new_start = starts + timedelta(days=2)
    local = new_start.astimezone(ZoneInfo("Europe/Amsterdam"))
    response = client.post(
        f"/c/{community.slug}/meetings/{meeting.id}/edit",
        data={
            "title": "Werksessie",
            "kind": "meeting",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "location": "Stadhuis",
            "online_url": "",
            "agenda": "",
        },
    )
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.reminder_sent_at is None
    with app.test_request_context():
        assert send_reminders(now=new_start - timedelta(hours=3)) == 1
        db.session.commit()
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.recipient_id == people["yes"].id)
    ).all()
    assert kinds.count("meeting_reminder") == 2


def test_the_reminder_costs_the_same_statements_for_2_and_40_recipients(
    app, db, make_community, make_membership, make_user, make_meeting
):
    counts = []
    for size in (2, 40):
        community = make_community()
        meeting = _created_long_ago(
            db, make_meeting(community, starts_at=utcnow() + timedelta(hours=10))
        )
        for _ in range(size):
            person = make_user(email_mode="each")
            make_membership(person, community)
            db.session.add(Rsvp(meeting_id=meeting.id, user_id=person.id, response="yes"))
        db.session.commit()
        with app.test_request_context(), count_queries(app) as statements:
            assert send_reminders() == 1
            db.session.commit()
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_an_archived_community_sends_no_reminders(app, db, kring, make_meeting):
    community, people = kring
    meeting = _created_long_ago(
        db, make_meeting(community, starts_at=utcnow() + timedelta(hours=10))
    )
    _respond(db, meeting, people, [("yes", "yes", False)])
    community.archived_at = utcnow()
    db.session.commit()
    with app.test_request_context():
        assert send_reminders() == 0
