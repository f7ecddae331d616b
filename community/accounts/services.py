"""Accounts: registration, confirmation, login, password reset and profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from community import addresses, audit, mail
from community.accounts import passwords, tokens
from community.exceptions import DomainError
from community.extensions import db
from community.models import Notification, Organisation, OrganisationDomain, Theme, User
from community.models.base import utcnow
from community.models.user import new_token


def normalise_email(email: str) -> str:
    return addresses.normalise(email)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _send(user: User, subject: Any, template: str, **context: Any) -> None:
    """Queue a mail to the user, in the user's own language."""
    with force_locale(user.locale):
        mail.enqueue(user.email, str(subject), template, user=user, **context)


def register_user(
    *, name: str, email: str, organisation_id: int, job_title: str, password: str, locale: str
) -> User | None:
    """Create a pending account and send the confirmation link.

    A known address gets a warning mail to its owner instead, and the caller
    answers the same either way (no account enumeration). Returns the new user or None.
    """
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise DomainError("organisation", _("Kies een organisatie uit de lijst."))
    # Hashed for a known address too: the slow KDF takes the same time either way, so
    # the time of the answer does not tell whether the address has an account.
    password_hash = passwords.hash_password(password)
    existing = find_user_by_email(email)
    if existing is not None:
        _send(existing, _l("Iemand probeerde zich te registreren met je adres"), "register_known")
        return None
    user = User(
        name=name.strip(),
        email=normalise_email(email),
        organisation=organisation,
        job_title=job_title.strip(),
        password_hash=password_hash,
        locale=locale,
        status="pending",
    )
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    audit.record("account.registered", actor=user, target=user)
    return user


def send_confirmation(user: User) -> None:
    token = tokens.make(tokens.CONFIRM, {"uid": user.id, "email": user.email})
    link = mail.absolute_url("accounts.confirm_email", token=token)
    _send(user, _l("Bevestig je e-mailadres voor Leerkring"), "confirm_email", link=link)


def domain_matches(user: User) -> bool:
    domain = user.email.rpartition("@")[2]
    return (
        db.session.scalar(
            select(OrganisationDomain.id).where(
                OrganisationDomain.domain == domain,
                OrganisationDomain.organisation_id == user.organisation_id,
            )
        )
        is not None
    )


def confirm_email(token: str) -> User:
    """Confirm the address; activate at once when its domain belongs to the organisation."""
    payload = tokens.read(tokens.CONFIRM, token, current_app.config["CONFIRM_MAX_AGE"])
    user = db.session.get(User, payload.get("uid", 0)) if payload else None
    if payload is None or user is None or user.email != payload.get("email"):
        raise DomainError(None, _("Deze bevestigingslink is ongeldig of verlopen."))
    if user.email_confirmed_at is not None:
        raise DomainError(None, _("Dit e-mailadres is al bevestigd. Je kunt inloggen."))
    user.email_confirmed_at = utcnow()
    if user.status == "pending" and domain_matches(user):
        user.status = "active"
        user.approved_at = utcnow()
        audit.record("account.activated", actor=user, target=user, reason="domain")
    elif user.status == "pending":
        notify_admins_of_pending(user)
    audit.record("account.confirmed", actor=user, target=user)
    return user


def notify_admins_of_pending(user: User) -> None:
    admins = db.session.scalars(
        select(User).where(User.platform_role == "admin", User.status == "active")
    ).all()
    link = mail.absolute_url("admin.list_accounts", status="pending")
    for admin in admins:
        _send(
            admin,
            _l("Een account wacht op goedkeuring"),
            "account_pending",
            account=user,
            link=link,
        )


@dataclass
class LoginResult:
    user: User | None
    problem: str | None = None  # "invalid", "unconfirmed", "pending", "suspended"


def authenticate(email: str, password: str, ip: str | None) -> LoginResult:
    user = find_user_by_email(email)
    if not passwords.verify_password(user.password_hash if user else None, password):
        audit.record("login.failed", target=user, ip=ip, email=normalise_email(email)[:254])
        return LoginResult(None, "invalid")
    assert user is not None
    if user.status in {"suspended", "deleted"}:
        audit.record("login.refused", actor=user, target=user, ip=ip, status=user.status)
        return LoginResult(None, "invalid" if user.status == "deleted" else "suspended")
    if user.email_confirmed_at is None:
        return LoginResult(user, "unconfirmed")
    if user.status == "pending":
        return LoginResult(user, "pending")
    user.last_login_at = utcnow()
    audit.record("login.succeeded", actor=user, target=user, ip=ip)
    return LoginResult(user)


def logout(user: User) -> None:
    """End every session of the user on the server side."""
    user.rotate_session_token()


def request_password_reset(email: str) -> None:
    user = find_user_by_email(email)
    if user is None or user.status in {"suspended", "deleted"}:
        return
    user.reset_nonce = new_token()  # a newer link invalidates the older ones
    token = tokens.make(tokens.RESET, {"uid": user.id, "n": user.reset_nonce})
    link = mail.absolute_url("accounts.reset_password", token=token)
    _send(user, _l("Nieuw wachtwoord instellen voor Leerkring"), "password_reset", link=link)


def user_for_reset_token(token: str) -> User | None:
    payload = tokens.read(tokens.RESET, token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    if payload is None:
        return None
    user = db.session.get(User, payload.get("uid", 0))
    if user is None or not user.reset_nonce or user.reset_nonce != payload.get("n"):
        return None
    if user.status in {"suspended", "deleted"}:
        return None
    return user


def set_password(user: User, password: str, ip: str | None, reason: str) -> None:
    """Store a new password, and end all sessions and outstanding reset links."""
    user.password_hash = passwords.hash_password(password)
    user.reset_nonce = None
    user.rotate_session_token()
    audit.record("password.changed", actor=user, target=user, ip=ip, reason=reason)
    _send(user, _l("Je wachtwoord is gewijzigd"), "password_changed")


def reset_password(token: str, password: str, ip: str | None) -> User:
    user = user_for_reset_token(token)
    if user is None:
        raise DomainError(None, _("Deze link is ongeldig, al gebruikt of verlopen."))
    set_password(user, password, ip, reason="reset")
    if user.email_confirmed_at is None:
        # Following the link proves the address, as the confirmation link would.
        user.email_confirmed_at = utcnow()
    return user


def change_password(user: User, current: str, new: str, ip: str | None) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise DomainError("current_password", _("Je huidige wachtwoord klopt niet."))
    set_password(user, new, ip, reason="change")


def update_profile(
    user: User,
    *,
    name: str,
    job_title: str,
    bio: str,
    locale: str,
    expertise_ids: list[int],
    email_mode: str,
) -> None:
    if email_mode in {"daily", "weekly"} and user.email_mode != email_mode:
        # A digest starts from now: what happened before was in the app already.
        db.session.execute(
            update(Notification)
            .where(Notification.recipient_id == user.id, Notification.digested_at.is_(None))
            .values(digested_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    user.email_mode = email_mode
    user.name = name.strip()
    user.job_title = job_title.strip()
    user.bio = bio.strip()
    user.locale = locale
    themes = (
        db.session.scalars(select(Theme).where(Theme.id.in_(expertise_ids))).all()
        if expertise_ids
        else []
    )
    user.expertise = list(themes)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
