"""The policy module as a matrix: pure calls, no HTTP."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from community import policy
from community.models import AnonymousUser
from community.models.base import utcnow


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


# Communities: platform role x community role x membership status x visibility x action.

ACTIONS = {
    "see": policy.can_see_community,
    "view": policy.can_view_community,
    "moderate": policy.can_moderate_community,
    "join": policy.can_join_community,
    "leave": policy.can_leave_community,
    "invite": policy.can_invite_to_community,
}


def _expected(platform: str, role: str, status: str | None, visibility: str, action: str) -> bool:
    active_member = status == "active"
    moderator = active_member and role == "moderator"
    admin = platform == "admin"
    if platform in {"anonymous", "suspended"}:
        return False
    return {
        "see": admin or active_member or visibility == "closed" or status == "invited",
        "view": active_member,
        "moderate": admin or moderator,
        "join": visibility == "closed" and status in {None, "declined", "removed", "left"},
        "leave": active_member,
        "invite": admin or moderator,
    }[action]


def _actor(platform: str, membership: SimpleNamespace | None) -> object:
    if platform == "anonymous":
        return ANON
    user = _user(
        1,
        role="admin" if platform == "admin" else "member",
        status="suspended" if platform == "suspended" else "active",
    )
    user.membership_in = lambda community: membership
    return user


@pytest.mark.parametrize("platform", ["anonymous", "member", "admin", "suspended"])
@pytest.mark.parametrize("role", ["member", "expert", "moderator"])
@pytest.mark.parametrize(
    "status", [None, "requested", "invited", "active", "declined", "removed", "left"]
)
@pytest.mark.parametrize("visibility", ["closed", "secret"])
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_community_matrix(platform, role, status, visibility, action):
    community = SimpleNamespace(id=7, visibility=visibility, archived_at=None)
    membership = (
        None
        if status is None
        else SimpleNamespace(
            role=role,
            status=status,
            community_id=7,
            user_id=1,
            community=community,
            invitation_expires_at=utcnow() + timedelta(days=1) if status == "invited" else None,
        )
    )
    actor = _actor(platform, membership)
    assert ACTIONS[action](actor, community) is _expected(
        platform, role, status, visibility, action
    )


@pytest.mark.parametrize("platform", ["member", "admin"])
@pytest.mark.parametrize("role", ["member", "moderator"])
def test_archived_community_is_read_only(platform, role):
    community = SimpleNamespace(id=7, visibility="closed", archived_at=object())
    membership = SimpleNamespace(role=role, status="active", community_id=7, user_id=1)
    actor = _actor(platform, membership)
    assert policy.can_view_community(actor, community) is True
    assert policy.can_join_community(actor, community) is False
    assert policy.can_invite_to_community(actor, community) is False
    outsider = _actor("member", None)
    assert policy.can_see_community(outsider, community) is False


@pytest.mark.parametrize(
    ("actor_role", "target_status", "same_user", "other_community", "allowed"),
    [
        ("moderator", "active", False, False, True),
        ("moderator", "active", True, False, False),
        ("moderator", "removed", False, False, False),
        ("moderator", "active", False, True, False),
        ("member", "active", False, False, False),
        ("expert", "active", False, False, False),
    ],
)
def test_manage_member(actor_role, target_status, same_user, other_community, allowed):
    community = SimpleNamespace(id=7, visibility="closed", archived_at=None)
    elsewhere = SimpleNamespace(id=8, visibility="closed", archived_at=None)
    own = SimpleNamespace(role=actor_role, status="active", community_id=7, user_id=1)
    actor = _actor("member", own)
    actor.membership_in = lambda c: own if c.id == 7 else None
    target = SimpleNamespace(
        user_id=1 if same_user else 2,
        status=target_status,
        role="member",
        community=elsewhere if other_community else community,
    )
    assert policy.can_manage_member(actor, target) is allowed
    request = SimpleNamespace(status="requested", community=target.community, user_id=3)
    assert policy.can_decide_request(actor, request) is (
        actor_role == "moderator" and not other_community
    )


@pytest.mark.parametrize("visibility", ["closed", "secret"])
def test_expired_invitation_counts_for_nothing(visibility):
    community = SimpleNamespace(id=7, visibility=visibility, archived_at=None)
    membership = SimpleNamespace(
        role="member",
        status="invited",
        community_id=7,
        user_id=1,
        invitation_expires_at=utcnow() - timedelta(seconds=1),
    )
    actor = _actor("member", membership)
    assert policy.can_accept_invitation(actor, community) is False
    assert policy.can_see_community(actor, community) is (visibility == "closed")


def test_admin_cannot_decide_their_own_request():
    community = SimpleNamespace(id=7, visibility="closed", archived_at=None)
    admin = _actor("admin", None)
    own = SimpleNamespace(status="requested", community=community, user_id=1)
    other = SimpleNamespace(status="requested", community=community, user_id=2)
    assert policy.can_decide_request(admin, own) is False
    assert policy.can_decide_request(admin, other) is True


def test_archived_community_settings_and_decisions_are_closed():
    community = SimpleNamespace(id=7, visibility="closed", archived_at=object())
    own = SimpleNamespace(role="moderator", status="active", community_id=7, user_id=1)
    moderator = _actor("member", own)
    assert policy.can_edit_community(moderator, community) is False
    assert policy.can_archive_community(moderator, community) is True
    request = SimpleNamespace(status="requested", community=community, user_id=2)
    assert policy.can_decide_request(moderator, request) is False
    member = SimpleNamespace(status="active", role="member", community=community, user_id=2)
    assert policy.can_manage_member(moderator, member) is False
