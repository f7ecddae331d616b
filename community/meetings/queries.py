"""Read-only queries for meetings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from community.extensions import db
from community.models import Case, Community, Meeting, MeetingCase, Rsvp
from community.models.base import utcnow


def upcoming(community: Community, limit: int = 5) -> list[Meeting]:
    parameters = {"community_id": community.id, "now": utcnow(), "limit": limit}
    return list(db.session.scalars(_UPCOMING, parameters))


_UPCOMING = (  # built once: community, moment and number are parameters
    select(Meeting)
    .where(Meeting.community_id == bindparam("community_id"), Meeting.ends_at >= bindparam("now"))
    .order_by(Meeting.starts_at)
    .limit(bindparam("limit"))
)


def agenda_cases(meeting: Meeting) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .join(MeetingCase, MeetingCase.case_id == Case.id)
            .where(
                MeetingCase.meeting_id == meeting.id,
                Case.phase != "draft",
                Case.community_id == meeting.community_id,  # a moved case left the agenda
            )
            .order_by(Case.title)
        )
    )


def agenda_case_ids(meeting: Meeting) -> list[int]:
    return list(
        db.session.scalars(select(MeetingCase.case_id).where(MeetingCase.meeting_id == meeting.id))
    )


def meetings_of_case(case: Case) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting)
            .join(MeetingCase, MeetingCase.meeting_id == Meeting.id)
            .where(MeetingCase.case_id == case.id, Meeting.community_id == case.community_id)
            .order_by(Meeting.starts_at)
        )
    )


def responses(meeting: Meeting) -> list[Rsvp]:
    return list(
        db.session.scalars(
            select(Rsvp).where(Rsvp.meeting_id == meeting.id).order_by(Rsvp.responded_at, Rsvp.id)
        )
    )


def response_of(meeting: Meeting, user: Any) -> Rsvp | None:
    return db.session.scalar(
        select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id)
    )
