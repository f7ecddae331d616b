"""Account deletion (AVG): profile erased, content kept as "verwijderde deelnemer" or removed."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from community import audit, policy, search
from community.accounts import passwords
from community.exceptions import DomainError
from community.extensions import db
from community.models import (
    Attachment,
    CaseRead,
    Contribution,
    Membership,
    Notification,
    OutboxMessage,
    RecoveryCode,
    User,
)
from community.models.user import new_token

DELETED_NAME = "Verwijderde deelnemer"


def delete_own_account(
    user: User, password: str, delete_contributions: bool, ip: str | None
) -> None:
    if not passwords.verify_password(user.password_hash, password):
        raise DomainError("password", _("Je wachtwoord klopt niet."))
    if user.platform_role == "admin":
        raise DomainError(
            None, _("Een beheerder verwijdert zijn account niet zelf. Vraag een andere beheerder.")
        )
    erase(user, user, delete_contributions, ip)


def delete_by_admin(admin: User, user: User, reason: str, ip: str | None) -> None:
    policy.require(policy.can_manage_accounts(admin) and admin.id != user.id)
    if not reason.strip():
        raise DomainError("reason", _("Geef een reden."))
    erase(admin, user, False, ip, reason=reason.strip())


def erase(
    actor: User, user: User, delete_contributions: bool, ip: str | None, reason: str = ""
) -> None:
    """Erase the person; their writing stays (as a deleted member) unless chosen otherwise."""
    old_email = user.email
    if delete_contributions:
        own = list(
            db.session.scalars(select(Contribution).where(Contribution.author_id == user.id))
        )
        for contribution in own:
            # Replies of others stay: they lose their parent, not their text.
            db.session.execute(
                update(Contribution)
                .where(Contribution.parent_id == contribution.id)
                .values(parent_id=None)
                .execution_options(synchronize_session=False)
            )
            search.remove("contribution", contribution.id)
            db.session.execute(
                delete(Attachment).where(
                    Attachment.owner_type == "contribution", Attachment.owner_id == contribution.id
                )
            )
            db.session.delete(contribution)
    user.name = DELETED_NAME
    user.email = f"verwijderd-{user.id}-{secrets.token_hex(4)}@deleted.invalid"
    user.job_title = ""
    user.bio = ""
    user.organisation_id = None
    user.expertise = []
    user.password_hash = passwords.hash_password(secrets.token_urlsafe(32))
    user.totp_secret = None
    user.totp_last_step = None
    user.calendar_token = None
    user.reset_nonce = None
    user.status = "deleted"
    user.email_mode = "none"
    user.session_token = new_token()  # every session ends at once
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(CaseRead).where(CaseRead.user_id == user.id))  # what they read
    db.session.execute(
        update(Membership)
        .where(
            Membership.user_id == user.id, Membership.status.in_(("active", "requested", "invited"))
        )
        .values(status="left")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(Notification).where(Notification.recipient_id == user.id))
    db.session.execute(
        update(Notification)
        .where(Notification.actor_id == user.id)
        .values(actor_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.recipient == old_email, OutboxMessage.sent_at.is_(None)
        )
    )
    audit.record(
        "account.deleted",
        actor=actor,
        target=user,
        ip=ip,
        reason=reason,
        contributions_deleted=delete_contributions,
    )
