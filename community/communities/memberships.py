"""The membership life cycle: join requests, decisions, roles, removal, leaving.

Status changes are conditional updates (`_transition`), so two moderators acting
at once cannot both succeed; rules about the last moderator lock the community
row first, so they hold under concurrency too (PostgreSQL `FOR UPDATE`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from community import audit, policy
from community.exceptions import DomainError
from community.extensions import db
from community.meetings.services import release_seats
from community.models import Community, Invitation, Membership, User
from community.models.base import utcnow
from community.notifications.services import notify, notify_members


def moderators_of(community: Community) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.community_id == community.id,
                Membership.status == "active",
                Membership.role == "moderator",
                User.status == "active",
            )
        )
    )


def _other_active_moderators(community: Community, membership: Membership) -> int:
    """Active moderators (with an active account) besides `membership`, under a lock."""
    db.session.execute(select(Community.id).where(Community.id == community.id).with_for_update())
    return _count_other_moderators(community, membership)


def _count_other_moderators(community: Community, membership: Any) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.community_id == community.id,
                Membership.id != membership.id,
                Membership.status == "active",
                Membership.role == "moderator",
                User.status == "active",
            )
        )
        or 0
    )


def is_last_moderator(user: User, community: Community) -> bool:
    """Whether leaving would leave the community without a moderator (for the confirmation
    page; `leave` decides again under a lock)."""
    membership = user.membership_in(community)
    return membership.role == "moderator" and _count_other_moderators(community, membership) == 0


def record(
    action: str, actor: User, membership: Membership, ip: str | None, **data: object
) -> None:
    audit.record(
        action,
        actor=actor,
        target=membership,
        community_id=membership.community_id,
        ip=ip,
        user_id=membership.user_id,
        **data,
    )


def transition(membership: Membership, expected: set[str], **values: object) -> bool:
    """Change the row only if its status is still one of `expected` (safe against races)."""
    result = db.session.execute(
        update(Membership)
        .where(Membership.id == membership.id, Membership.status.in_(expected))
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(membership)
    return bool(getattr(result, "rowcount", 0))


def close_invitations(community_id: int, email: str, *, accepted_by: User | None) -> None:
    """Consume (when accepted) or revoke every open invitation of `email` to the community."""
    now = utcnow()
    values = (
        {"accepted_at": now, "accepted_by_id": accepted_by.id}
        if accepted_by
        else {"revoked_at": now}
    )
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.community_id == community_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def set_follow(user: User, community: Community, level: str) -> None:
    """The member's own choice of what they hear about from the community."""
    policy.require(policy.is_member(user, community))
    membership = user.membership_row(community)
    membership.follow = level


def request_to_join(
    user: User, community: Community, motivation: str, ip: str | None, follow: str = "all"
) -> Membership:
    """Ask to join a closed community; an invited user accepts the invitation instead."""
    membership = user.membership_row(community)
    if membership is not None and membership.status == "invited":
        policy.require(policy.can_accept_invitation(user, community))
        return accept_membership_invitation(user, membership, ip)
    if membership is not None and membership.status == "requested":
        raise DomainError(None, _("Je hebt al een aanvraag voor deze leergemeenschap lopen."))
    if membership is not None and membership.status == "active":
        raise DomainError(None, _("Je bent al lid van deze leergemeenschap."))
    policy.require(policy.can_join_community(user, community))
    if membership is None:
        try:
            with db.session.begin_nested():
                membership = Membership(
                    user_id=user.id, community_id=community.id, status="requested"
                )
                db.session.add(membership)
        except IntegrityError:  # a double submit raced this one
            raise DomainError(
                None, _("Je hebt al een aanvraag voor deze leergemeenschap lopen.")
            ) from None
    elif not transition(membership, {"declined", "removed", "left"}, status="requested"):
        raise DomainError(None, _("Je hebt al een aanvraag voor deze leergemeenschap lopen."))
    membership.status = "requested"
    membership.role = "member"
    membership.follow = follow
    membership.motivation = motivation.strip()
    membership.decided_by_id = None
    membership.decided_at = None
    membership.decision_message = ""
    db.session.flush()
    user.forget_memberships()
    record("membership.requested", user, membership, ip)
    notify_members(
        "join_requested", community=community, role="moderator", actor=user, target=membership
    )
    return membership


def decide_request(
    actor: User, membership: Membership, approve: bool, message: str, ip: str | None
) -> None:
    if membership.status != "requested" and membership.decided_at is not None:
        # Another moderator decided first (two of them had the open request on screen).
        # One who may act hears that it was decided, not that they have no access.
        policy.require(
            membership.user_id != actor.id
            and policy.can_moderate_community(actor, membership.community)
        )
        raise DomainError(None, _("Over deze aanvraag is al beslist."))
    policy.require(policy.can_decide_request(actor, membership))
    changed = transition(
        membership,
        {"requested"},
        status="active" if approve else "declined",
        decided_by_id=actor.id,
        decided_at=utcnow(),
        decision_message=message.strip(),
    )
    if not changed:
        raise DomainError(None, _("Over deze aanvraag is al beslist."))
    if approve:  # an older invitation link must not outlive this decision
        close_invitations(
            membership.community_id, membership.user.email, accepted_by=membership.user
        )
    action = "membership.approved" if approve else "membership.declined"
    record(action, actor, membership, ip, message=message.strip())
    notify(
        membership.user,
        "request_approved" if approve else "request_declined",
        community=membership.community,
        actor=actor,
        target=membership,
        message=message.strip(),
    )


def change_role(actor: User, membership: Membership, role: str, ip: str | None) -> None:
    policy.require(policy.can_manage_member(actor, membership))
    if membership.role == role:
        return
    community = membership.community
    if membership.role == "moderator" and _other_active_moderators(community, membership) == 0:
        raise DomainError("role", _("Een leergemeenschap heeft minstens één moderator nodig."))
    old = membership.role
    membership.role = role
    record("membership.role_changed", actor, membership, ip, old=old, new=role)
    notify(
        membership.user,
        "role_changed",
        community=community,
        actor=actor,
        target=membership,
        role=role,
    )


def remove_member(actor: User, membership: Membership, reason: str, ip: str | None) -> None:
    """Remove an active member; the reason stays in the audit log, for moderators only."""
    policy.require(policy.can_manage_member(actor, membership))
    community = membership.community
    if membership.role == "moderator" and _other_active_moderators(community, membership) == 0:
        raise DomainError(None, _("De laatste moderator kan niet worden verwijderd."))
    if not transition(
        membership,
        {"active"},
        status="removed",
        decided_by_id=actor.id,
        decided_at=utcnow(),
        decision_message="",
    ):
        raise DomainError(None, _("Dit lid is al niet meer actief."))
    close_invitations(community.id, membership.user.email, accepted_by=None)
    release_seats(membership.user_id, community)
    record("membership.removed", actor, membership, ip, reason=reason.strip())
    notify(membership.user, "removed", community=community, actor=actor, target=membership)


def leave(user: User, community: Community, ip: str | None) -> None:
    policy.require(policy.can_leave_community(user, community))
    membership = user.membership_row(community)
    if membership.role == "moderator" and _other_active_moderators(community, membership) == 0:
        raise DomainError(
            None,
            _(
                "Je bent de laatste moderator. "
                "Maak eerst iemand anders moderator voordat je vertrekt."
            ),
        )
    if not transition(
        membership,
        {"active"},
        status="left",
        decided_by_id=user.id,
        decided_at=utcnow(),
        decision_message="",
    ):
        raise DomainError(None, _("Je bent al geen lid meer van deze leergemeenschap."))
    release_seats(user.id, community)
    record("membership.left", user, membership, ip)


def accept_membership_invitation(user: User, membership: Membership, ip: str | None) -> Membership:
    """Turn an open invitation into an active membership with the invited role."""
    if not transition(
        membership, {"invited"}, status="active", decided_at=utcnow(), invitation_expires_at=None
    ):
        raise DomainError(None, _("Deze uitnodiging is verlopen, ingetrokken of al gebruikt."))
    user.forget_memberships()
    close_invitations(membership.community_id, user.email, accepted_by=user)
    record("membership.invitation_accepted", user, membership, ip, role=membership.role)
    notify_members(
        "invitation_accepted",
        community=membership.community,
        role="moderator",
        exclude=user.id,
        actor=user,
        target=membership,
        email=False,
    )
    return membership
