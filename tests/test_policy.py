"""The policy module as a matrix: pure calls, no HTTP."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from community import policy
from community.models import AnonymousUser


def _user(uid: int, *, role: str = "member", status: str = "active") -> SimpleNamespace:
    return SimpleNamespace(
        id=uid,
        status=status,
        is_authenticated=True,
        is_active=status == "active",
        is_admin=role == "admin" and status == "active",
        email_confirmed_at=object(),
    )


ANON = AnonymousUser()


@pytest.mark.parametrize(
    ("viewer", "profile_status", "own", "allowed"),
    [
        ("anonymous", "active", False, False),
        ("member", "active", False, True),
        ("member", "pending", False, False),
        ("member", "suspended", False, False),
        ("member", "deleted", False, False),
        ("member", "pending", True, True),
        ("admin", "pending", False, True),
        ("suspended", "active", False, False),
    ],
)
def test_can_view_profile(viewer, profile_status, own, allowed):
    user = (
        ANON
        if viewer == "anonymous"
        else _user(
            1,
            role="admin" if viewer == "admin" else "member",
            status="suspended" if viewer == "suspended" else "active",
        )
    )
    profile = _user(1 if own else 2, status=profile_status)
    assert policy.can_view_profile(user, profile) is allowed


@pytest.mark.parametrize(
    ("role", "status", "allowed"),
    [
        ("admin", "active", True),
        ("admin", "suspended", False),
        ("member", "active", False),
        ("anonymous", "anonymous", False),
    ],
)
def test_can_manage_accounts(role, status, allowed):
    user = ANON if role == "anonymous" else _user(1, role=role, status=status)
    assert policy.can_manage_accounts(user) is allowed
    assert policy.can_manage_organisations(user) is allowed


@pytest.mark.parametrize(
    ("account_status", "confirmed", "same", "approve", "suspend"),
    [
        ("pending", True, False, True, True),
        ("pending", False, False, False, True),
        ("active", True, False, False, True),
        ("active", True, True, False, False),
        ("suspended", True, False, False, False),
        ("deleted", True, False, False, False),
    ],
)
def test_account_decisions(account_status, confirmed, same, approve, suspend):
    admin = _user(1, role="admin")
    account = _user(1 if same else 2, status=account_status)
    account.email_confirmed_at = object() if confirmed else None
    assert policy.can_approve_account(admin, account) is approve
    assert policy.can_suspend_account(admin, account) is suspend
    assert policy.can_approve_account(_user(3), account) is False
    assert policy.can_suspend_account(_user(3), account) is False


def test_edit_account_only_own():
    assert policy.can_edit_account(_user(1), _user(1)) is True
    assert policy.can_edit_account(_user(1), _user(2)) is False
    assert policy.can_edit_account(ANON, _user(2)) is False
