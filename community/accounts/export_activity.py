"""More parts of the data export: approaches, meetings, reports, and what the platform logs.

The rules of what goes in are in `export_sections` (and docs/PRIVACY.md); one query each.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from community.accounts.export_sections import Row, iso
from community.extensions import db
from community.models import (
    APPROACH_TEXT_FIELDS,
    Adoption,
    Appreciation,
    Approach,
    ApproachVersion,
    AuditEvent,
    CaseRead,
    Flag,
    Invitation,
    Meeting,
    Membership,
    Notification,
    OutboxMessage,
    RecoveryCode,
    Rsvp,
    User,
    UserSession,
)


def approaches(user: User) -> list[Row]:
    """Approaches the person wrote or holds the current version of, with their text."""
    rows = db.session.scalars(
        select(Approach)
        .where(or_(Approach.author_id == user.id, Approach.updated_by_id == user.id))
        .order_by(Approach.id)
    )
    return [
        {
            "id": a.id,
            "community_id": a.community_id,
            "case_id": a.case_id,
            "written_by_you": a.author_id == user.id,
            "current_version_by_you": a.updated_by_id == user.id,
            "title": a.title,
            **{name: getattr(a, name) for name in APPROACH_TEXT_FIELDS},
            "contact": a.contact,
            "scope": a.scope,
            "version": a.version,
            "library_requested_at": iso(a.library_requested_at),
            "created_at": iso(a.created_at),
            "updated_at": iso(a.updated_at),
        }
        for a in rows
    ]


def approach_versions(user: User) -> list[Row]:
    """Earlier versions the person wrote (with text), and others' versions of their approach."""
    rows = db.session.scalars(
        select(ApproachVersion)
        .join(Approach, Approach.id == ApproachVersion.approach_id)
        .where(or_(ApproachVersion.editor_id == user.id, Approach.author_id == user.id))
        .order_by(ApproachVersion.id)
    )
    result = []
    for version in rows:
        entry: Row = {
            "id": version.id,
            "approach_id": version.approach_id,
            "version": version.version,
            "written_by_you": version.editor_id == user.id,
            "created_at": iso(version.created_at),
        }
        if version.editor_id == user.id:
            entry["title"] = version.title
            entry.update({name: getattr(version, name) for name in APPROACH_TEXT_FIELDS})
        result.append(entry)
    return result


def library_approvals(user: User) -> list[Row]:
    rows = db.session.execute(
        select(Approach.id, Approach.community_id, Approach.library_approved_at).where(
            Approach.library_approved_by_id == user.id
        )
    )
    return [
        {"id": r.id, "community_id": r.community_id, "approved_at": iso(r.library_approved_at)}
        for r in rows
    ]


def adoptions(user: User) -> list[Row]:
    rows = db.session.scalars(
        select(Adoption).where(Adoption.updated_by_id == user.id).order_by(Adoption.id)
    )
    return [
        {
            "id": a.id,
            "approach_id": a.approach_id,
            "organisation": a.organisation.name,
            "status": a.status,
            "note": a.note,
            "contact": a.contact,
            "created_at": iso(a.created_at),
            "updated_at": iso(a.updated_at),
        }
        for a in rows
    ]


def meetings_planned(user: User) -> list[Row]:
    """The meetings the person planned, as they wrote them (a report may be someone else's)."""
    rows = db.session.scalars(
        select(Meeting).where(Meeting.created_by_id == user.id).order_by(Meeting.id)
    )
    return [
        {
            "id": m.id,
            "community_id": m.community_id,
            "kind": m.kind,
            "title": m.title,
            "starts_at": iso(m.starts_at),
            "ends_at": iso(m.ends_at),
            "location": m.location,
            "online_url": m.online_url,
            "agenda": m.agenda,
            "capacity": m.capacity,
            "created_at": iso(m.created_at),
        }
        for m in rows
    ]


def meeting_responses(user: User) -> list[Row]:
    rows = db.session.execute(
        select(Rsvp.id, Rsvp.meeting_id, Rsvp.response, Rsvp.waitlisted, Rsvp.responded_at)
        .where(Rsvp.user_id == user.id)
        .order_by(Rsvp.id)
    )
    return [
        {
            "id": r.id,
            "meeting_id": r.meeting_id,
            "response": r.response,
            "waitlisted": r.waitlisted,
            "responded_at": iso(r.responded_at),
        }
        for r in rows
    ]


def cases_read(user: User) -> list[Row]:
    """When the person last opened each case page (the home page's "new since")."""
    rows = db.session.execute(
        select(CaseRead.id, CaseRead.case_id, CaseRead.read_at)
        .where(CaseRead.user_id == user.id)
        .order_by(CaseRead.id)
    )
    return [{"id": r.id, "case_id": r.case_id, "read_at": iso(r.read_at)} for r in rows]


def appreciations(user: User) -> list[Row]:
    """Contributions the person appreciated (waardeer): which, and when."""
    rows = db.session.execute(
        select(Appreciation.id, Appreciation.contribution_id, Appreciation.created_at)
        .where(Appreciation.user_id == user.id)
        .order_by(Appreciation.id)
    )
    return [
        {"id": r.id, "contribution_id": r.contribution_id, "created_at": iso(r.created_at)}
        for r in rows
    ]


def reports_filed(user: User) -> list[Row]:
    """Reports (flags) the person filed, with their own explanation; not who handled them."""
    rows = db.session.scalars(select(Flag).where(Flag.reporter_id == user.id).order_by(Flag.id))
    return [
        {
            "id": f.id,
            "community_id": f.community_id,
            "target": f"{f.target_type}:{f.target_id}",
            "reason": f.reason,
            "details": f.details,
            "status": f.status,
            "created_at": iso(f.created_at),
            "resolved_at": iso(f.resolved_at),
        }
        for f in rows
    ]


def reports_handled(user: User) -> list[Row]:
    """Reports the person handled as moderator: their decision, not the reporter's text."""
    rows = db.session.scalars(select(Flag).where(Flag.resolver_id == user.id).order_by(Flag.id))
    return [
        {
            "id": f.id,
            "community_id": f.community_id,
            "target": f"{f.target_type}:{f.target_id}",
            "status": f.status,
            "resolution": f.resolution,
            "resolved_at": iso(f.resolved_at),
        }
        for f in rows
    ]


def notifications(user: User) -> list[Row]:
    """The person's notifications: what and when, not the copied titles of others' posts."""
    rows = db.session.execute(
        select(
            Notification.id,
            Notification.kind,
            Notification.community_id,
            Notification.target_type,
            Notification.target_id,
            Notification.created_at,
            Notification.read_at,
            Notification.digested_at,
        )
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.id)
    )
    return [
        {
            "id": n.id,
            "kind": n.kind,
            "community_id": n.community_id,
            "target": f"{n.target_type}:{n.target_id}" if n.target_type else None,
            "created_at": iso(n.created_at),
            "read_at": iso(n.read_at),
            "digested_at": iso(n.digested_at),
        }
        for n in rows
    ]


def notifications_about_you(user: User) -> list[Row]:
    """Others' notifications that name the person (as actor or subject): kind and time only."""
    rows = db.session.execute(
        select(Notification.id, Notification.kind, Notification.created_at)
        .where(
            Notification.recipient_id != user.id,
            or_(
                Notification.actor_id == user.id,
                and_(Notification.target_type == "users", Notification.target_id == user.id),
            ),
        )
        .order_by(Notification.id)
    )
    return [{"id": n.id, "kind": n.kind, "created_at": iso(n.created_at)} for n in rows]


def audit_log(user: User) -> list[Row]:
    """Audit entries by the person, about their account, their memberships or invitations."""
    own_memberships = select(Membership.id).where(Membership.user_id == user.id)
    own_invitations = select(Invitation.id).where(
        or_(Invitation.accepted_by_id == user.id, Invitation.email == user.email)
    )
    rows = db.session.scalars(
        select(AuditEvent)
        .where(
            or_(
                AuditEvent.actor_id == user.id,
                and_(AuditEvent.target_type == "users", AuditEvent.target_id == user.id),
                and_(
                    AuditEvent.target_type == "memberships",
                    AuditEvent.target_id.in_(own_memberships),
                ),
                and_(
                    AuditEvent.target_type == "invitations",
                    AuditEvent.target_id.in_(own_invitations),
                ),
            )
        )
        .order_by(AuditEvent.id)
    )
    result = []
    for event in rows:
        by_you = event.actor_id == user.id
        result.append(
            {
                "id": event.id,
                "action": event.action,
                "by_you": by_you,
                "target": f"{event.target_type}:{event.target_id}" if event.target_type else None,
                "community_id": event.community_id,
                "data": event.data,
                # Someone else's address (an admin, or whoever tried the password) is theirs.
                "ip": event.ip if by_you else None,
                "created_at": iso(event.created_at),
            }
        )
    return result


def sessions(user: User) -> list[Row]:
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
    )
    return [
        {
            "id": s.id,
            "browser": s.device,
            "ip": s.ip,
            "created_at": iso(s.created_at),
            "last_seen_at": iso(s.last_seen_at),
            "ended_at": iso(s.ended_at),
        }
        for s in rows
    ]


def recovery_codes(user: User) -> list[Row]:
    """Only whether each code was used: the codes' hashes are secrets."""
    rows = db.session.execute(
        select(RecoveryCode.id, RecoveryCode.used_at)
        .where(RecoveryCode.user_id == user.id)
        .order_by(RecoveryCode.id)
    )
    return [{"id": r.id, "used_at": iso(r.used_at)} for r in rows]


def emails(user: User) -> list[Row]:
    """Mail to the person: when and whether it went out. Subjects and bodies are left out:
    bodies hold one-time links, subjects the titles of others' posts; the mail itself is
    in the person's own mailbox."""
    rows = db.session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.created_at,
            OutboxMessage.sent_at,
            OutboxMessage.dropped_at,
            OutboxMessage.attempts,
        )
        .where(or_(OutboxMessage.recipient == user.email, OutboxMessage.member_user_id == user.id))
        .order_by(OutboxMessage.id)
    )
    return [
        {
            "id": m.id,
            "created_at": iso(m.created_at),
            "sent_at": iso(m.sent_at),
            "dropped_at": iso(m.dropped_at),
            "attempts": m.attempts,
        }
        for m in rows
    ]
