"""The reminder the day before a meeting, for those who said yes (with a place) or maybe.

A scheduled job (`flask worker`, `flask jobs`): each meeting that starts within
`REMINDER_BEFORE` and has had no reminder is claimed with a conditional UPDATE, so two
workers never both remind, and its recipients are notified in a constant number of
statements (`notify_members`). Moving a meeting clears the claim, so the new time
gets its own reminder. A meeting scheduled inside the window is not reminded of: its
members were told of it just now.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select, update

from community.extensions import db
from community.meetings.services import meeting_data
from community.models import Community, Meeting, Rsvp, User
from community.models.base import utcnow
from community.notifications.services import notify_members

REMINDER_BEFORE = timedelta(hours=24)


def send_reminders(now: datetime | None = None) -> int:
    """Remind of every meeting that is due; returns the number of meetings reminded of."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Meeting)
        .join(Community, Community.id == Meeting.community_id)
        .where(
            Meeting.reminder_sent_at.is_(None),
            Meeting.starts_at > now,
            Meeting.starts_at <= now + REMINDER_BEFORE,
            Community.archived_at.is_(None),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    reminded = 0
    for meeting in due:
        claimed = db.session.execute(
            update(Meeting)
            .where(Meeting.id == meeting.id, Meeting.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)
        )
        if not getattr(claimed, "rowcount", 0):
            continue  # another worker has it
        if meeting.created_at > meeting.starts_at - REMINDER_BEFORE:
            continue  # scheduled inside the window: "meeting_scheduled" said it just now
        notify_members(
            "meeting_reminder",
            community=meeting.community,
            who=_coming(meeting),
            target=meeting,
            starts_at=meeting.starts_at.isoformat(),
            **meeting_data(meeting),
        )
        reminded += 1
    return reminded


def _coming(meeting: Meeting) -> ColumnElement[bool]:
    """Members who said yes and have a place, or said maybe (one EXISTS, no list)."""
    return (
        select(Rsvp.id)
        .where(
            Rsvp.meeting_id == meeting.id,
            Rsvp.user_id == User.id,
            ((Rsvp.response == "yes") & Rsvp.waitlisted.is_(False)) | (Rsvp.response == "maybe"),
        )
        .exists()
    )
