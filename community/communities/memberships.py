"""The membership life cycle: join requests, decisions, invitations, roles, removal, leaving."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from community import audit, mail, policy
from community.exceptions import DomainError
from community.extensions import db
from community.models import Community, Invitation, Membership, User
from community.models.base import utcnow
from community.notifications.services import notify

INVITATION_DAYS = 14


def _moderators(community: Community) -> list[User]:
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


def _active_moderator_count(community: Community) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(
                Membership.community_id == community.id,
                Membership.status == "active",
                Membership.role == "moderator",
            )
        )
        or 0
    )


def _record(
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


def _transition(membership: Membership, expected: set[str], **values: object) -> bool:
    """Change the row only if its status is still one of `expected` (safe against races)."""
    result = db.session.execute(
        update(Membership)
        .where(Membership.id == membership.id, Membership.status.in_(expected))
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(membership)
    return bool(getattr(result, "rowcount", 0))


def request_to_join(
    user: User, community: Community, motivation: str, ip: str | None
) -> Membership:
    """Ask to join a closed community; an invited user accepts the invitation instead."""
    membership = user.membership_in(community)
    if membership is not None and membership.status == "invited":
        return accept_membership_invitation(user, membership, ip)
    if membership is not None and membership.status == "requested":
        raise DomainError(None, _("Je hebt al een aanvraag voor deze leergemeenschap lopen."))
    if membership is not None and membership.status == "active":
        raise DomainError(None, _("Je bent al lid van deze leergemeenschap."))
    policy.require(policy.can_join_community(user, community))
    if membership is None:
        membership = Membership(user_id=user.id, community_id=community.id, status="requested")
        db.session.add(membership)
    membership.status = "requested"
    membership.role = "member"
    membership.motivation = motivation.strip()
    membership.decided_by_id = None
    membership.decided_at = None
    membership.decision_message = ""
    db.session.flush()
    user.forget_memberships()
    _record("membership.requested", user, membership, ip)
    for moderator in _moderators(community):
        notify(moderator, "join_requested", community=community, actor=user, target=membership)
    return membership


def decide_request(
    actor: User, membership: Membership, approve: bool, message: str, ip: str | None
) -> None:
    policy.require(policy.can_decide_request(actor, membership))
    new_status = "active" if approve else "declined"
    changed = _transition(
        membership,
        {"requested"},
        status=new_status,
        decided_by_id=actor.id,
        decided_at=utcnow(),
        decision_message=message.strip(),
    )
    if not changed:
        raise DomainError(None, _("Over deze aanvraag is al beslist."))
    _record(
        "membership.approved" if approve else "membership.declined",
        actor,
        membership,
        ip,
        message=message.strip(),
    )
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
    if membership.role == "moderator" and _active_moderator_count(membership.community) <= 1:
        raise DomainError("role", _("Een leergemeenschap heeft minstens één moderator nodig."))
    old = membership.role
    membership.role = role
    _record("membership.role_changed", actor, membership, ip, old=old, new=role)
    notify(
        membership.user,
        "role_changed",
        community=membership.community,
        actor=actor,
        target=membership,
        role=role,
    )


def remove_member(actor: User, membership: Membership, reason: str, ip: str | None) -> None:
    policy.require(policy.can_manage_member(actor, membership))
    if membership.role == "moderator" and _active_moderator_count(membership.community) <= 1:
        raise DomainError(None, _("De laatste moderator kan niet worden verwijderd."))
    if not _transition(
        membership,
        {"active"},
        status="removed",
        decided_by_id=actor.id,
        decided_at=utcnow(),
        decision_message=reason.strip(),
    ):
        raise DomainError(None, _("Dit lid is al niet meer actief."))
    _record("membership.removed", actor, membership, ip, reason=reason.strip())
    notify(
        membership.user, "removed", community=membership.community, actor=actor, target=membership
    )


def leave(user: User, community: Community, ip: str | None) -> None:
    membership = user.membership_in(community)
    policy.require(policy.can_leave_community(user, community))
    if membership.role == "moderator" and _active_moderator_count(community) <= 1:
        raise DomainError(
            None,
            _(
                "Je bent de laatste moderator. "
                "Maak eerst iemand anders moderator voordat je vertrekt."
            ),
        )
    _transition(membership, {"active"}, status="left", decided_by_id=user.id, decided_at=utcnow())
    _record("membership.left", user, membership, ip)


# Invitations ------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(actor: User, community: Community, email: str, role: str, ip: str | None) -> Invitation:
    """Invite by e-mail; a known account also gets an in-app notification."""
    from community.accounts.services import find_user_by_email, normalise_email

    policy.require(policy.can_invite_to_community(actor, community))
    address = normalise_email(email)
    invitee = find_user_by_email(address)
    membership = invitee.membership_in(community) if invitee else None
    if membership is not None and membership.status == "active":
        raise DomainError("email", _("Deze persoon is al lid van deze leergemeenschap."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        community=community,
        email=address,
        role=role,
        token_hash=hash_token(token),
        invited_by_id=actor.id,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        "invitation.created",
        actor=actor,
        target=invitation,
        community_id=community.id,
        ip=ip,
        email=address,
        role=role,
    )
    link = mail.absolute_url("members.show_invitation", token=token)
    if invitee is not None and invitee.status in {"active", "pending"}:
        if membership is None:
            membership = Membership(user_id=invitee.id, community_id=community.id, status="invited")
            db.session.add(membership)
        membership.status = "invited"
        membership.role = role
        membership.decided_by_id = actor.id
        membership.decided_at = utcnow()
        db.session.flush()
        notify(invitee, "invited", community=community, actor=actor, target=invitation, email=False)
    with force_locale(invitee.locale if invitee else "nl"):
        mail.enqueue(
            address,
            str(_l("Uitnodiging voor de leergemeenschap %(community)s", community=community.name)),
            "invitation",
            community=community,
            inviter=actor,
            link=link,
            days=INVITATION_DAYS,
        )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def open_invitation_for_email(email: str) -> Invitation | None:
    now = utcnow()
    return db.session.scalar(
        select(Invitation)
        .where(
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .limit(1)
    )


def accept_invitation(user: User, invitation: Invitation, ip: str | None) -> Membership:
    if not invitation.is_open(utcnow()):
        raise DomainError(None, _("Deze uitnodiging is verlopen, ingetrokken of al gebruikt."))
    if invitation.email != user.email:
        raise DomainError(
            None, _("Deze uitnodiging is voor een ander e-mailadres. Log in met dat adres.")
        )
    community = invitation.community
    if community.is_archived:
        raise DomainError(None, _("Deze leergemeenschap is gearchiveerd."))
    changed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if not getattr(changed, "rowcount", 0):
        raise DomainError(None, _("Deze uitnodiging is verlopen, ingetrokken of al gebruikt."))
    membership = user.membership_in(community)
    if membership is not None and membership.status == "active":
        return membership
    if membership is None:
        membership = Membership(user_id=user.id, community_id=community.id, status="invited")
        db.session.add(membership)
    membership.status = "invited"
    membership.role = invitation.role
    db.session.flush()
    return accept_membership_invitation(user, membership, ip)


def accept_membership_invitation(user: User, membership: Membership, ip: str | None) -> Membership:
    membership.status = "active"
    membership.decided_at = utcnow()
    db.session.flush()
    user.forget_memberships()
    _record("membership.invitation_accepted", user, membership, ip, role=membership.role)
    now = utcnow()
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.community_id == membership.community_id,
            Invitation.email == user.email,
            Invitation.accepted_at.is_(None),
        )
        .values(accepted_at=now, accepted_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    for moderator in _moderators(membership.community):
        if moderator.id != user.id:
            notify(
                moderator,
                "invitation_accepted",
                community=membership.community,
                actor=user,
                target=membership,
                email=False,
            )
    return membership


def revoke_invitation(actor: User, invitation: Invitation, ip: str | None) -> None:
    policy.require(policy.can_revoke_invitation(actor, invitation))
    invitation.revoked_at = utcnow()
    db.session.execute(
        update(Membership)
        .where(
            Membership.community_id == invitation.community_id,
            Membership.status == "invited",
            Membership.user_id.in_(select(User.id).where(User.email == invitation.email)),
        )
        .values(status="declined", updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    audit.record(
        "invitation.revoked",
        actor=actor,
        target=invitation,
        community_id=invitation.community_id,
        ip=ip,
        email=invitation.email,
    )
