"""Invitations by e-mail: single-use hashed tokens, 14 days, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, TypeVar

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, Update, select, update

from community import audit, mail, policy
from community.communities.memberships import accept_membership_invitation
from community.exceptions import DomainError
from community.extensions import db
from community.models import Community, Invitation, Membership, User
from community.models.base import utcnow
from community.notifications.services import notify

INVITATION_DAYS = 14


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


Q = TypeVar("Q", Select[Any], Update)


def _open(query: Q) -> Q:
    """Only invitations that are neither accepted, revoked nor expired."""
    return query.where(
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )


def invite(actor: User, community: Community, email: str, role: str, ip: str | None) -> Invitation:
    """Invite by e-mail; a known account also gets an in-app notification."""
    from community.accounts.services import find_user_by_email, normalise_email

    policy.require(policy.can_invite_to_community(actor, community))
    address = normalise_email(email)
    if address == actor.email:
        raise DomainError("email", _("Je kunt jezelf niet uitnodigen."))
    invitee = find_user_by_email(address)
    membership = invitee.membership_in(community) if invitee else None
    if membership is not None and membership.status == "active":
        raise DomainError("email", _("Deze persoon is al lid van deze leergemeenschap."))
    pending = db.session.scalar(
        _open(select(Invitation.id)).where(
            Invitation.community_id == community.id, Invitation.email == address
        )
    )
    if pending is not None:
        raise DomainError("email", _("Voor dit adres staat al een uitnodiging open."))
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
    if invitee is not None and invitee.status in {"active", "pending"}:
        if membership is None:
            membership = Membership(user_id=invitee.id, community_id=community.id, status="invited")
            db.session.add(membership)
        membership.status = "invited"
        membership.role = role
        membership.invitation_expires_at = invitation.expires_at
        membership.decided_by_id = actor.id
        membership.decided_at = utcnow()
        membership.decision_message = ""
        db.session.flush()
        notify(invitee, "invited", community=community, actor=actor, target=invitation, email=False)
    with force_locale(invitee.locale if invitee else "nl"):
        mail.enqueue(
            address,
            str(_l("Uitnodiging voor de leergemeenschap %(community)s", community=community.name)),
            "invitation",
            community=community,
            inviter=actor,
            link=mail.absolute_url("members.show_invitation", token=token),
            days=INVITATION_DAYS,
        )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def accept_invitation(user: User, invitation: Invitation, ip: str | None) -> Membership:
    """Accept through the e-mailed link; only the invited address may use it, once."""
    if invitation.email != user.email:
        raise DomainError(
            None, _("Deze uitnodiging is voor een ander e-mailadres. Log in met dat adres.")
        )
    community = invitation.community
    if community.is_archived:
        raise DomainError(None, _("Deze leergemeenschap is gearchiveerd."))
    claimed = db.session.execute(
        _open(update(Invitation))
        .where(Invitation.id == invitation.id)
        .values(accepted_at=utcnow(), accepted_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if not getattr(claimed, "rowcount", 0):
        raise DomainError(None, _("Deze uitnodiging is verlopen, ingetrokken of al gebruikt."))
    membership = user.membership_row(community)
    if membership is not None and membership.status == "active":
        return membership
    if membership is None:
        membership = Membership(user_id=user.id, community_id=community.id, status="invited")
        db.session.add(membership)
    membership.status = "invited"
    membership.role = invitation.role
    db.session.flush()
    return accept_membership_invitation(user, membership, ip)


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
        .values(
            status="declined", decision_message="", invitation_expires_at=None, updated_at=utcnow()
        )
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
