"""Meetings: planning, changes that members hear about, responses with a waiting list, reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from community import audit, markdown, policy, search
from community.exceptions import DomainError
from community.extensions import db
from community.models import (
    Case,
    Community,
    Meeting,
    MeetingCase,
    Membership,
    Organisation,
    Rsvp,
    User,
)
from community.models.base import utcnow
from community.notifications.services import notify, notify_members


@dataclass(frozen=True)
class MeetingData:
    """What the meeting form may set; nothing else reaches the model."""

    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    location: str
    host_organisation_id: int | None
    online_url: str
    agenda: str
    capacity: int | None
    case_ids: list[int]


def meeting_data(meeting: Meeting) -> dict[str, Any]:
    return {"meeting_id": meeting.id, "meeting_title": meeting.title}


def _apply(meeting: Meeting, data: MeetingData) -> None:
    if data.ends_at <= data.starts_at:
        raise DomainError("ends_at", _("Het einde moet na het begin liggen."))
    if (
        data.host_organisation_id
        and db.session.get(Organisation, data.host_organisation_id) is None
    ):
        raise DomainError("host", _("Kies een gastgemeente uit de lijst."))
    meeting.title = " ".join(data.title.split())
    meeting.kind = data.kind
    meeting.starts_at, meeting.ends_at = data.starts_at, data.ends_at
    meeting.location = data.location.strip()
    meeting.host_organisation_id = data.host_organisation_id or None
    meeting.online_url = data.online_url.strip()
    meeting.agenda = data.agenda.strip()
    meeting.agenda_html = markdown.render(meeting.agenda)
    meeting.capacity = data.capacity
    meeting.updated_at = utcnow()


def _set_cases(meeting: Meeting, case_ids: list[int]) -> None:
    allowed = set(
        db.session.scalars(
            select(Case.id).where(Case.community_id == meeting.community_id, Case.phase != "draft")
        )
    )
    if any(case_id not in allowed for case_id in case_ids):
        raise DomainError("cases", _("Kies alleen casussen van deze leergemeenschap."))
    db.session.execute(delete(MeetingCase).where(MeetingCase.meeting_id == meeting.id))
    for case_id in dict.fromkeys(case_ids):
        db.session.add(MeetingCase(meeting_id=meeting.id, case_id=case_id))


def create_meeting(user: User, community: Community, data: MeetingData, ip: str | None) -> Meeting:
    policy.require(policy.can_plan_meeting(user, community))
    meeting = Meeting(community=community, created_by_id=user.id)
    _apply(meeting, data)
    db.session.add(meeting)
    db.session.flush()
    _set_cases(meeting, data.case_ids)
    search.index_meeting(meeting)
    audit.record("meeting.created", actor=user, target=meeting, community_id=community.id, ip=ip)
    # The members hear of it (by their follow level and mail settings), in a constant
    # number of statements however many they are.
    notify_members(
        "meeting_scheduled",
        community=community,
        exclude=user.id,
        actor=user,
        target=meeting,
        **meeting_data(meeting),
    )
    return meeting


def update_meeting(user: User, meeting: Meeting, data: MeetingData, ip: str | None) -> bool:
    """Save changes; members who said yes or maybe hear about a new time or place."""
    policy.require(policy.can_edit_meeting(user, meeting))
    _lock(meeting)
    before = (
        meeting.starts_at,
        meeting.ends_at,
        meeting.location,
        meeting.online_url,
        meeting.host_organisation_id,
    )
    _apply(meeting, data)
    _set_cases(meeting, data.case_ids)
    after = (
        meeting.starts_at,
        meeting.ends_at,
        meeting.location,
        meeting.online_url,
        meeting.host_organisation_id,
    )
    moved = before != after
    meeting.sequence += 1
    if moved:
        meeting.reminder_sent_at = None  # a new time: remind again the day before it
    search.index_meeting(meeting)
    for promoted in _settle_waiting_list(meeting):
        notify(
            promoted.user,
            "meeting_place_free",
            community=meeting.community,
            target=meeting,
            **meeting_data(meeting),
        )
    audit.record(
        "meeting.updated",
        actor=user,
        target=meeting,
        community_id=meeting.community_id,
        ip=ip,
        moved=moved,
    )
    if moved:
        # Those who said yes or maybe and are still members: one recipient query.
        responded = (
            select(Rsvp.id)
            .where(
                Rsvp.meeting_id == meeting.id,
                Rsvp.user_id == User.id,
                Rsvp.response.in_(("yes", "maybe")),
            )
            .exists()
        )
        notify_members(
            "meeting_changed",
            community=meeting.community,
            who=responded,
            exclude=user.id,
            actor=user,
            target=meeting,
            **meeting_data(meeting),
        )
    return moved


def _lock(meeting: Meeting) -> None:
    """One response or change per meeting at a time (a row lock on PostgreSQL)."""
    db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())


def _current_member() -> Any:
    """Responses of people who are (still) active members of the meeting's community."""
    return (
        select(Membership.id)
        .where(
            Membership.user_id == Rsvp.user_id,
            Membership.community_id == Meeting.community_id,
            policy.active_memberships(),
        )
        .correlate(Rsvp, Meeting)
        .exists()
    )


def _responses(meeting: Meeting, responses: tuple[str, ...]) -> list[Rsvp]:
    return list(
        db.session.scalars(
            select(Rsvp)
            .join(Meeting, Meeting.id == Rsvp.meeting_id)
            .where(Rsvp.meeting_id == meeting.id, Rsvp.response.in_(responses), _current_member())
            .order_by(Rsvp.responded_at, Rsvp.id)
        )
    )


def _settle_waiting_list(meeting: Meeting) -> list[Rsvp]:
    """Give free places to the longest waiting; returns who moved up."""
    yes = _responses(meeting, ("yes",))
    capacity = meeting.capacity if meeting.capacity is not None else len(yes)
    moved_up = []
    for index, rsvp in enumerate(yes):
        waiting = index >= capacity
        if rsvp.waitlisted and not waiting:
            moved_up.append(rsvp)
        rsvp.waitlisted = waiting
    return moved_up


def respond(user: User, meeting: Meeting, response: str, ip: str | None) -> Rsvp:
    policy.require(policy.can_respond_to_meeting(user, meeting))
    _lock(meeting)  # one response at a time: the capacity holds, a double click is one row
    rsvp = db.session.scalar(
        select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id)
    )
    if rsvp is None:
        rsvp = Rsvp(meeting_id=meeting.id, user_id=user.id, response=response)
        db.session.add(rsvp)
    elif rsvp.response != response:
        rsvp.response = response
        rsvp.responded_at = utcnow()  # a new "yes" joins the back of the queue
    rsvp.waitlisted = False
    db.session.flush()
    for moved in _settle_waiting_list(meeting):
        if moved.user_id != user.id:
            notify(
                moved.user,
                "meeting_place_free",
                community=meeting.community,
                target=meeting,
                **meeting_data(meeting),
            )
    audit.record(
        "meeting.rsvp",
        actor=user,
        target=meeting,
        community_id=meeting.community_id,
        ip=ip,
        response=response,
    )
    return rsvp


def write_report(user: User, meeting: Meeting, report: str, ip: str | None) -> None:
    policy.require(policy.can_edit_meeting(user, meeting))
    meeting.report = report.strip()
    meeting.report_html = markdown.render(meeting.report)
    meeting.report_at = utcnow()
    search.index_meeting(meeting)
    audit.record(
        "meeting.report", actor=user, target=meeting, community_id=meeting.community_id, ip=ip
    )


def counts(meeting: Meeting) -> dict[str, int]:
    rows = db.session.execute(
        select(Rsvp.response, Rsvp.waitlisted, func.count())
        .join(Meeting, Meeting.id == Rsvp.meeting_id)
        .where(Rsvp.meeting_id == meeting.id, _current_member())
        .group_by(Rsvp.response, Rsvp.waitlisted)
    ).all()
    result = {"yes": 0, "no": 0, "maybe": 0, "waiting": 0}
    for response, waitlisted, n in rows:
        result["waiting" if waitlisted else response] += n
    return result


def release_seats(user_id: int, community: Community) -> None:
    """Someone left or was removed: their responses go, and the waiting lists move up."""
    rsvps = db.session.scalars(
        select(Rsvp)
        .join(Meeting, Meeting.id == Rsvp.meeting_id)
        .where(Rsvp.user_id == user_id, Meeting.community_id == community.id)
    ).all()
    meetings = {rsvp.meeting_id for rsvp in rsvps if rsvp.response == "yes"}
    for rsvp in rsvps:
        db.session.delete(rsvp)
    db.session.flush()
    for meeting_id in meetings:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None or meeting.ends_at < utcnow():
            continue
        _lock(meeting)
        for promoted in _settle_waiting_list(meeting):
            notify(
                promoted.user,
                "meeting_place_free",
                community=community,
                target=meeting,
                **meeting_data(meeting),
            )
