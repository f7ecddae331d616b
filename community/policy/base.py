"""Who is acting: active users, second factor, accounts; and the require helpers."""

from __future__ import annotations

from typing import Any, Protocol

from flask import current_app, has_app_context
from werkzeug.exceptions import Forbidden, NotFound


class Actor(Protocol):
    """What a policy needs of a user; the anonymous visitor satisfies it too."""

    id: Any
    is_active: bool
    is_admin: bool
    is_authenticated: bool

    def membership_in(self, community: Any) -> Any: ...

    def memberships_by_community(self) -> dict[int, Any]: ...


def is_active_user(user: Actor) -> bool:
    return bool(user.is_authenticated and user.is_active)


def has_second_factor(user: Actor) -> bool:
    """Staff powers need two-factor login (BIO), unless switched off (tests, development)."""
    required = has_app_context() and current_app.config.get("REQUIRE_2FA_FOR_STAFF", True)
    if not required:
        return True
    return getattr(user, "totp_secret", None) is not None


def can_use_platform(user: Actor) -> bool:
    return is_active_user(user)


def can_edit_account(user: Actor, account: Any) -> bool:
    return is_active_user(user) and account is not None and user.id == account.id


def can_view_profile(user: Actor, profile: Any) -> bool:
    """Active users see the profiles of other active users; admins see every account."""
    if not is_active_user(user) or profile is None:
        return False
    if user.is_admin or user.id == profile.id:
        return True
    return bool(profile.status == "active")


def can_manage_accounts(user: Actor) -> bool:
    return is_active_user(user) and user.is_admin and has_second_factor(user)


def can_manage_organisations(user: Actor) -> bool:
    return can_manage_accounts(user)


def can_approve_account(user: Actor, account: Any) -> bool:
    return (
        can_manage_accounts(user)
        and account.status == "pending"
        and (account.email_confirmed_at is not None)
    )


def can_suspend_account(user: Actor, account: Any) -> bool:
    return (
        can_manage_accounts(user)
        and account.id != user.id
        and account.status in {"pending", "active"}
    )


def require(allowed: bool) -> None:
    """Stop the request with 403 unless the policy allowed it."""
    if not allowed:
        raise Forbidden()


def require_visible(visible: bool) -> None:
    """Stop the request with 404: the object may not even be known to exist."""
    if not visible:
        raise NotFound()
