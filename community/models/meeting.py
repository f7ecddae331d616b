"""Meetings of a community (bijeenkomsten, expertsessies, werkbezoeken) and responses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.extensions import db
from community.models.base import UTCDateTime, utcnow
from community.models.community import Community, _in
from community.models.organisation import Organisation
from community.models.user import User

MEETING_KINDS = ("meeting", "expert_session", "site_visit")
RESPONSES = ("yes", "no", "maybe")


class Meeting(db.Model):  # type: ignore[name-defined]
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(_in("kind", MEETING_KINDS), name="kind"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_meetings_community_starts", "community_id", "starts_at"),
        # The reminder job looks for meetings starting soon that have had no reminder.
        Index("ix_meetings_reminder_due", "reminder_sent_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="meeting")
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(String(300), default="")
    host_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    online_url: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    agenda_html: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None]
    report: Mapped[str] = mapped_column(Text, default="")
    report_html: Mapped[str] = mapped_column(Text, default="")
    report_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE, raised on changes
    # When the reminder the day before went out (None: not yet; cleared when it moves).
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    community: Mapped[Community] = relationship(lazy="joined")
    host: Mapped[Organisation | None] = relationship(lazy="joined")


class MeetingCase(db.Model):  # type: ignore[name-defined]
    """A case of the community on the meeting's agenda."""

    __tablename__ = "meeting_cases"
    __table_args__ = (UniqueConstraint("meeting_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)


class Rsvp(db.Model):  # type: ignore[name-defined]
    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        CheckConstraint(_in("response", RESPONSES), name="response"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    response: Mapped[str] = mapped_column(String(5))
    waitlisted: Mapped[bool] = mapped_column(default=False)
    responded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
