"""Meetings: planning, responses with a waiting list, changes, reports, and the calendar files."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from community.models import Meeting, Notification, Rsvp, User
from community.models.base import AMSTERDAM
from tests.conftest import login


@pytest.fixture
def kring(make_community, make_membership, make_user, make_organisation):
    community = make_community(name="Kring")
    moderator, member, other = make_user(name="Mo"), make_user(name="Lid"), make_user(name="Ander")
    make_membership(moderator, community, role="moderator")
    make_membership(member, community)
    make_membership(other, community)
    host = make_organisation(name="Zwolle", slug="zwolle-m", domains=["zwolle.m"])
    return community, moderator, member, other, host


def _form(**overrides: object) -> dict[str, object]:
    data = {
        "title": "Expertsessie aanloopstraten",
        "kind": "expert_session",
        "starts_at": "2099-03-12T09:30",
        "ends_at": "2099-03-12T12:00",
        "location": "Stadhuis, zaal 2",
        "host": 0,
        "online_url": "",
        "agenda": "1. Welkom",
        "capacity": "",
    }
    data.update(overrides)
    return data


def test_moderator_plans_and_members_see_it(client, db, kring, make_case):
    community, moderator, member, _other, host = kring
    case = make_case(community, member, title="Lege panden")
    login(client, moderator.email)
    response = client.post(
        f"/c/{community.slug}/meetings/new", data={**_form(host=host.id), "cases": [case.id]}
    )
    meeting = db.session.scalar(select(Meeting))
    assert response.headers["Location"] == f"/c/{community.slug}/meetings/{meeting.id}"
    assert meeting.starts_at == datetime(2099, 3, 12, 9, 30, tzinfo=AMSTERDAM)
    client.post("/logout")
    login(client, member.email)
    page = client.get(f"/c/{community.slug}/meetings/{meeting.id}").get_data(as_text=True)
    assert "12 maart 2099, 9.30–12.00 uur" in page
    assert "gastgemeente Zwolle" in page
    assert "Lege panden" in page
    assert "Expertsessie aanloopstraten" in client.get(f"/c/{community.slug}").get_data(
        as_text=True
    )
    case_page = client.get(f"/c/{community.slug}/cases/{case.id}").get_data(as_text=True)
    assert "Besproken in bijeenkomst" in case_page
    assert client.get(f"/c/{community.slug}/meetings/new").status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"ends_at": "2099-03-12T08:00"}, "ends_at"),
        ({"starts_at": "morgen"}, "starts_at"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"capacity": "0"}, "capacity"),
        ({"kind": "feest"}, "kind"),
    ],
)
def test_bad_meeting_input(client, db, kring, overrides, field):
    community, moderator, *_ = kring
    login(client, moderator.email)
    response = client.post(f"/c/{community.slug}/meetings/new", data=_form(**overrides))
    assert response.status_code == 200
    assert f'href="#{field}"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Meeting)) is None


def test_waiting_list_moves_up_when_someone_cancels(app, client, db, kring, make_meeting):
    community, moderator, member, other, _ = kring
    meeting = make_meeting(community, capacity=1)
    url = f"/c/{community.slug}/meetings/{meeting.id}/rsvp"
    login(client, member.email)
    client.post(url, data={"response": "yes"})
    second = app.test_client()
    login(second, other.email)
    response = second.post(url, data={"response": "yes"}, follow_redirects=True)
    assert "wachtlijst" in response.get_data(as_text=True)
    waiting = db.session.scalar(select(Rsvp).where(Rsvp.user_id == other.id))
    assert waiting.waitlisted is True
    client.post(url, data={"response": "no"})
    db.session.refresh(waiting)
    assert waiting.waitlisted is False
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.recipient_id == other.id)
    ).all()
    assert kinds == ["meeting_place_free"]


def test_change_of_time_notifies_yes_and_maybe(app, client, db, kring, make_meeting):
    community, moderator, member, other, _ = kring
    meeting = make_meeting(community, title="Sessie")
    for person, answer in ((member, "yes"), (other, "no")):
        c = app.test_client()
        login(c, person.email)
        c.post(f"/c/{community.slug}/meetings/{meeting.id}/rsvp", data={"response": answer})
    login(client, moderator.email)
    client.post(
        f"/c/{community.slug}/meetings/{meeting.id}/edit",
        data=_form(title="Sessie", starts_at="2099-04-01T13:00", ends_at="2099-04-01T15:00"),
    )
    recipients = set(
        db.session.scalars(
            select(Notification.recipient_id).where(Notification.kind == "meeting_changed")
        )
    )
    assert recipients == {member.id}
    db.session.refresh(meeting)
    assert meeting.sequence == 1


def test_scheduling_notifies_the_members_and_no_one_else(
    app, client, db, kring, make_user, make_community, make_membership, outbox
):
    community, moderator, member, other, _ = kring
    outsider = make_user(name="Buiten")
    make_membership(outsider, make_community(name="Andere kring"))
    leaver = make_user(name="Vertrokken")
    make_membership(leaver, community, status="left")
    quiet = make_user(name="Stil")
    make_membership(quiet, community, follow="none")
    eager = make_user(name="Gretig", email_mode="each")
    make_membership(eager, community)
    login(client, moderator.email)
    client.post(f"/c/{community.slug}/meetings/new", data=_form(title="Werksessie BIZ"))
    meeting = db.session.scalar(select(Meeting))
    notes = db.session.scalars(
        select(Notification).where(Notification.kind == "meeting_scheduled")
    ).all()
    assert {n.recipient_id for n in notes} == {member.id, other.id, eager.id}
    c = app.test_client()
    login(c, member.email)
    page = c.get("/notifications").get_data(as_text=True)
    assert "Nieuwe bijeenkomst in Kring: Werksessie BIZ" in page
    mine = next(n for n in notes if n.recipient_id == member.id)
    opened = c.get(f"/notifications/{mine.id}/open")
    assert opened.headers["Location"] == f"/c/{community.slug}/meetings/{meeting.id}"
    mails = [m for m in outbox if m["To"] == eager.email]
    assert len(mails) == 1
    assert "Werksessie BIZ" in mails[0]["Subject"]
    assert not [m for m in outbox if m["To"] in (outsider.email, leaver.email, quiet.email)]


def test_report_links_back_to_cases(client, db, kring, make_meeting):
    community, moderator, member, *_ = kring
    meeting = make_meeting(community)
    login(client, moderator.email)
    client.post(
        f"/c/{community.slug}/meetings/{meeting.id}/report",
        data={"report": "We bespraken **twee** casussen."},
    )
    page = client.get(f"/c/{community.slug}/meetings/{meeting.id}").get_data(as_text=True)
    assert "<strong>twee</strong>" in page
    client.post("/logout")
    login(client, member.email)
    assert (
        client.post(
            f"/c/{community.slug}/meetings/{meeting.id}/report", data={"report": "x"}
        ).status_code
        == 403
    )


def test_ics_escapes_and_is_for_members_only(app, client, db, kring, make_meeting, make_user):
    community, _moderator, member, *_ = kring
    meeting = make_meeting(
        community, title="Sessie; met, komma's\nen regels", location="Zaal 1, 2e etage; ingang B"
    )
    login(client, member.email)
    response = client.get(f"/c/{community.slug}/meetings/{meeting.id}.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Sessie; met, komma's\nen regels"
    assert str(event["LOCATION"]) == "Zaal 1, 2e etage; ingang B"
    assert b"\\;" in response.data
    assert b"\\," in response.data
    assert b"\\n" in response.data
    # An alarm an hour before, and the community as organiser at the platform's address.
    alarm = event.walk("VALARM")[0]
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1)
    organiser = event["ORGANIZER"]
    assert str(organiser) == "mailto:noreply@leerkring.example"
    assert organiser.params["CN"] == f"{community.name} (Leerkring)"
    assert member.email.encode() not in response.data
    outsider = app.test_client()
    login(outsider, make_user().email)
    assert outsider.get(f"/c/{community.slug}/meetings/{meeting.id}.ics").status_code == 404


def test_personal_feed_renewal_and_leaving(
    app, client, db, kring, make_meeting, make_community, make_membership
):
    community, _moderator, member, *_ = kring
    other_community = make_community(name="Andere kring")
    make_membership(member, other_community)
    make_meeting(community, title="Sessie A")
    make_meeting(other_community, title="Sessie B")
    login(client, member.email)
    client.post("/account/calendar")
    token = db.session.get(User, member.id).calendar_token
    assert len(token) >= 32
    anonymous = app.test_client()
    feed = anonymous.get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert "Sessie A" in feed
    assert "Sessie B" in feed
    client.post(f"/c/{other_community.slug}/leave")
    feed = anonymous.get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert "Sessie A" in feed
    assert "Sessie B" not in feed
    client.post("/account/calendar")
    assert anonymous.get(f"/calendar/{token}.ics").status_code == 404
    new_token = db.session.get(User, member.id).calendar_token
    assert anonymous.get(f"/calendar/{new_token}.ics").status_code == 200
    assert anonymous.get("/calendar/kort.ics").status_code == 404


def test_feed_of_a_suspended_user_is_gone(app, db, kring, make_meeting):
    community, _moderator, member, *_ = kring
    member.calendar_token = "x" * 40
    member.status = "suspended"
    db.session.commit()
    assert app.test_client().get(f"/calendar/{'x' * 40}.ics").status_code == 404
