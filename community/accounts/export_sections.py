"""The parts of the data export (AVG article 15), one query each, whatever the data size.

What goes in, and what does not (see docs/PRIVACY.md):
- What the person wrote is theirs and is exported in full, also from communities they have
  left: cases, contributions and their earlier versions, approaches, meetings they planned,
  reports they filed, moderation reasons and decision messages they wrote, adoption notes.
- What others wrote is not theirs: the export names such things only by kind, id, time and
  community (a case they were asked to advise on, a report they handled), never by text.
- Secrets are never exported: password hash, TOTP secret, recovery-code hashes, session
  and calendar tokens, reset nonces, e-mail bodies (they hold one-time links).
- IP addresses are exported where they are the person's own (their sessions, their own
  actions in the audit log), not for what someone else did to their account.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import or_, select

from community.extensions import db
from community.models import (
    Attachment,
    Case,
    CaseRevision,
    Community,
    Contribution,
    ContributionRevision,
    ExpertRequest,
    Invitation,
    Membership,
    User,
)

Row = dict[str, Any]


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def community_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(Community.id, Community.name).where(Community.id.in_(ids)))
    return {row.id: row.name for row in rows}


def memberships(user: User) -> list[Row]:
    rows = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id).order_by(Membership.id)
    )
    return [
        {
            "id": m.id,
            "community_id": m.community_id,
            "role": m.role,
            "status": m.status,
            "motivation": m.motivation,
            "decision_message": m.decision_message,
            "decided_at": iso(m.decided_at),
            "invitation_expires_at": iso(m.invitation_expires_at),
            "follow": m.follow,
            "since": iso(m.created_at),
            "updated_at": iso(m.updated_at),
        }
        for m in rows
    ]


def membership_decisions(user: User) -> list[Row]:
    """Requests and members the person decided on as moderator: their decision, no names."""
    rows = db.session.scalars(
        select(Membership).where(Membership.decided_by_id == user.id).order_by(Membership.id)
    )
    return [
        {
            "id": m.id,
            "community_id": m.community_id,
            "status": m.status,
            "decision_message": m.decision_message,
            "decided_at": iso(m.decided_at),
        }
        for m in rows
    ]


def invitations_sent(user: User) -> list[Row]:
    """The invitee's address is theirs, not the inviter's: left out."""
    rows = db.session.scalars(
        select(Invitation).where(Invitation.invited_by_id == user.id).order_by(Invitation.id)
    )
    return [
        {
            "id": i.id,
            "community_id": i.community_id,
            "role": i.role,
            "created_at": iso(i.created_at),
            "expires_at": iso(i.expires_at),
            "accepted": i.accepted_at is not None,
            "revoked_at": iso(i.revoked_at),
        }
        for i in rows
    ]


def invitations_received(user: User) -> list[Row]:
    rows = db.session.scalars(
        select(Invitation)
        .where(or_(Invitation.accepted_by_id == user.id, Invitation.email == user.email))
        .order_by(Invitation.id)
    )
    return [
        {
            "id": i.id,
            "community_id": i.community_id,
            "email": i.email,
            "role": i.role,
            "created_at": iso(i.created_at),
            "expires_at": iso(i.expires_at),
            "accepted_at": iso(i.accepted_at) if i.accepted_by_id == user.id else None,
            "revoked_at": iso(i.revoked_at),
        }
        for i in rows
    ]


def communities_created(user: User) -> list[Row]:
    rows = db.session.scalars(
        select(Community).where(Community.created_by_id == user.id).order_by(Community.id)
    )
    return [{"id": c.id, "community_id": c.id, "created_at": iso(c.created_at)} for c in rows]


def cases(user: User) -> list[Row]:
    rows = db.session.scalars(select(Case).where(Case.author_id == user.id).order_by(Case.id))
    return [
        {
            "id": c.id,
            "community_id": c.community_id,
            "title": c.title,
            "phase": c.phase,
            "context": c.context,
            "question": c.question,
            "tried": c.tried,
            "stakeholders": c.stakeholders,
            "follow_up": c.follow_up,
            "created_at": iso(c.created_at),
            "published_at": iso(c.published_at),
            "updated_at": iso(c.updated_at),
            "closed_at": iso(c.closed_at),
            "hidden_by_moderator": c.hidden_at is not None,
        }
        for c in rows
    ]


def case_revisions(user: User) -> list[Row]:
    """Earlier texts of the person's own cases, and the edits they made to others' cases."""
    rows = db.session.execute(
        select(CaseRevision, Case.author_id)
        .join(Case, Case.id == CaseRevision.case_id)
        .where(or_(Case.author_id == user.id, CaseRevision.editor_id == user.id))
        .order_by(CaseRevision.id)
    )
    result = []
    for revision, author_id in rows:
        entry: Row = {
            "id": revision.id,
            "case_id": revision.case_id,
            "version": revision.version,
            "edited_by_you": revision.editor_id == user.id,
            "created_at": iso(revision.created_at),
        }
        if author_id == user.id:
            entry.update(
                title=revision.title,
                context=revision.context,
                question=revision.question,
                tried=revision.tried,
                stakeholders=revision.stakeholders,
            )
        result.append(entry)
    return result


def contributions(user: User) -> list[Row]:
    earlier: defaultdict[int, list[Row]] = defaultdict(list)
    revisions = db.session.scalars(
        select(ContributionRevision)
        .join(Contribution, Contribution.id == ContributionRevision.contribution_id)
        .where(Contribution.author_id == user.id)
        .order_by(ContributionRevision.id)
    )
    for revision in revisions:
        earlier[revision.contribution_id].append(
            {"id": revision.id, "body": revision.body, "created_at": iso(revision.created_at)}
        )
    rows = db.session.execute(
        select(Contribution, Case.community_id)
        .join(Case, Case.id == Contribution.case_id)
        .where(Contribution.author_id == user.id)
        .order_by(Contribution.id)
    )
    return [
        {
            "id": c.id,
            "case_id": c.case_id,
            "community_id": community_id,
            "kind": c.kind,
            "phase": c.phase,
            "body": c.body,
            "valuable": c.valuable,
            "created_at": iso(c.created_at),
            "edited_at": iso(c.edited_at),
            "hidden_by_moderator": c.hidden_at is not None,
            "earlier_versions": earlier.get(c.id, []),
        }
        for c, community_id in rows
    ]


def moderation(user: User) -> list[Row]:
    """Cases and contributions the person hid as moderator: the act and their reason."""
    hidden_cases = db.session.execute(
        select(Case.id, Case.community_id, Case.hidden_at, Case.hidden_reason).where(
            Case.hidden_by_id == user.id
        )
    )
    hidden_contributions = db.session.execute(
        select(
            Contribution.id,
            Case.community_id,
            Contribution.hidden_at,
            Contribution.hidden_reason,
        )
        .join(Case, Case.id == Contribution.case_id)
        .where(Contribution.hidden_by_id == user.id)
    )
    return [
        {
            "id": row.id,
            "type": kind,
            "community_id": row.community_id,
            "hidden_at": iso(row.hidden_at),
            "reason": row.hidden_reason,
        }
        for kind, rows in (("case", hidden_cases), ("contribution", hidden_contributions))
        for row in rows
    ]


def attachments(user: User) -> list[Row]:
    rows = db.session.scalars(
        select(Attachment).where(Attachment.uploaded_by_id == user.id).order_by(Attachment.id)
    )
    return [
        {
            "id": a.id,
            "owner_type": a.owner_type,
            "owner_id": a.owner_id,
            "filename": a.original_filename,
            "media_type": a.media_type,
            "size": a.size,
            "sha256": a.sha256,
            "created_at": iso(a.created_at),
        }
        for a in rows
    ]


def expert_requests(user: User, *, received: bool) -> list[Row]:
    """Requests for advice to the person (received) or by them (sent); no other names."""
    column = ExpertRequest.expert_id if received else ExpertRequest.requested_by_id
    rows = db.session.execute(
        select(ExpertRequest, Case.community_id)
        .join(Case, Case.id == ExpertRequest.case_id)
        .where(column == user.id)
        .order_by(ExpertRequest.id)
    )
    return [
        {
            "id": r.id,
            "case_id": r.case_id,
            "community_id": community_id,
            "due_on": r.due_on.isoformat(),
            "created_at": iso(r.created_at),
            "answered_at": iso(r.answered_at),
        }
        for r, community_id in rows
    ]
