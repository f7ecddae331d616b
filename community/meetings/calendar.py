"""iCalendar files for a meeting and for a personal feed (the icalendar library escapes)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from email.utils import parseaddr

from flask import current_app, url_for
from icalendar import Alarm, Calendar, Event, vCalAddress, vText
from sqlalchemy import select

from community.extensions import db
from community.models import Meeting
from community.models.base import utcnow

FEED_PAST = timedelta(days=30)
# A calendar reminds an hour before the start: time to travel or to open the link.
ALARM_BEFORE = timedelta(hours=1)


def _event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@leerkring")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("dtstamp", utcnow())
    event.add("last-modified", meeting.updated_at)
    event.add("sequence", meeting.sequence)
    place = ", ".join(p for p in (meeting.location, meeting.host.name if meeting.host else "") if p)
    if place:
        event.add("location", place)
    link = current_app.config["BASE_URL"] + url_for(
        "meetings.show_meeting", slug=meeting.community.slug, meeting_id=meeting.id
    )
    event.add("url", link)
    description = meeting.community.name + "\n" + link
    if meeting.online_url:
        description += "\n" + meeting.online_url
    event.add("description", description)
    event.add("organizer", _organiser(meeting))
    event.add_component(_alarm(meeting))
    return event


def _organiser(meeting: Meeting) -> vCalAddress:
    """The community organises, reachable at the platform's own sender address.

    Not the creator's e-mail: .ics files are forwarded, and a member's address must not
    travel with them; a reply goes to the platform, never to a person outside the community.
    """
    address = vCalAddress("mailto:" + parseaddr(current_app.config["MAIL_SENDER"])[1])
    address.params["cn"] = vText(f"{meeting.community.name} (Leerkring)")
    return address


def _alarm(meeting: Meeting) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", meeting.title)
    alarm.add("trigger", -ALARM_BEFORE)
    return alarm


def to_ics(meetings: Iterable[Meeting], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Leerkring//Bijeenkomsten//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    return bytes(calendar.to_ical())


def feed_meetings(community_ids: list[int]) -> list[Meeting]:
    """Meetings of the given communities, from a month ago on."""
    if not community_ids:
        return []
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.community_id.in_(community_ids), Meeting.ends_at >= utcnow() - FEED_PAST)
            .order_by(Meeting.starts_at)
        )
    )
