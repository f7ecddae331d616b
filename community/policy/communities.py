"""Communities and memberships: only an active membership counts."""

from __future__ import annotations

from typing import Any

from community.models.base import utcnow
from community.policy.base import Actor, has_second_factor, is_active_user

# Communities ------------------------------------------------------------------
#
# Only an *active* membership counts: requested, invited, declined, removed and
# left are non-members. Administrators act as moderators in every community
# (they manage members and settings) but do not read community content unless
# they are members themselves.


def _membership(user: Actor, community: Any) -> Any:
    if not is_active_user(user) or community is None:
        return None
    return user.membership_in(community)


def community_role(user: Actor, community: Any) -> str | None:
    """The user's role when an active member, else None."""
    membership = _membership(user, community)
    if membership is None or membership.status != "active":
        return None
    return str(membership.role)


def is_member(user: Actor, community: Any) -> bool:
    return community_role(user, community) is not None


def is_moderator(user: Actor, community: Any) -> bool:
    """Acting as moderator: the role, and (for staff) two-step verification."""
    return community_role(user, community) == "moderator" and has_second_factor(user)


def can_create_community(user: Actor) -> bool:
    return is_active_user(user) and user.is_admin and has_second_factor(user)


def has_open_invitation(user: Actor, community: Any) -> bool:
    """Invited, and the invitation has neither expired nor been revoked."""
    membership = _membership(user, community)
    return (
        membership is not None
        and membership.status == "invited"
        and membership.invitation_expires_at is not None
        and membership.invitation_expires_at > utcnow()
        and community.archived_at is None
    )


def can_see_community(user: Actor, community: Any) -> bool:
    """May the user know the community exists (directory entry, landing page)?"""
    if not is_active_user(user) or community is None:
        return False
    if (user.is_admin and has_second_factor(user)) or is_member(user, community):
        return True
    if community.archived_at is not None:
        return False
    return community.visibility == "closed" or has_open_invitation(user, community)


def can_list_on_front_door(community: Any) -> bool:
    """May the public front door name the community (for anyone, signed in or not)?

    Only its name and purpose, never content or counts: the communities the directory
    lists for every active user (closed, not archived). A secret one never.
    """
    return (
        community is not None and community.archived_at is None and community.visibility == "closed"
    )


def can_accept_invitation(user: Actor, community: Any) -> bool:
    return has_open_invitation(user, community)


def can_see_member_count(user: Actor, community: Any) -> bool:
    """Counts are content: for members and acting administrators, never for outsiders
    (closed means closed, counts included)."""
    return is_member(user, community) or (
        is_active_user(user) and user.is_admin and has_second_factor(user)
    )


def can_view_community(user: Actor, community: Any) -> bool:
    """Content and member list: active members only."""
    return is_member(user, community)


def can_moderate_community(user: Actor, community: Any) -> bool:
    return (
        is_active_user(user)
        and (user.is_admin or is_moderator(user, community))
        and has_second_factor(user)
    )


def can_enter_community_admin(user: Actor, community: Any) -> bool:
    """Members list and moderator pages are reachable by members and acting admins."""
    return is_member(user, community) or can_moderate_community(user, community)


def can_edit_community(user: Actor, community: Any) -> bool:
    """Settings; an archived community is read-only until it is made active again."""
    return can_moderate_community(user, community) and community.archived_at is None


def can_archive_community(user: Actor, community: Any) -> bool:
    return can_moderate_community(user, community)


def can_invite_to_community(user: Actor, community: Any) -> bool:
    return can_moderate_community(user, community) and community.archived_at is None


def can_join_community(user: Actor, community: Any) -> bool:
    """Ask to join: closed, not archived, and not already a member or an open request."""
    if not can_see_community(user, community) or community.archived_at is not None:
        return False
    if community.visibility != "closed":
        return False
    membership = _membership(user, community)
    return membership is None or membership.status in {"declined", "removed", "left"}


def can_leave_community(user: Actor, community: Any) -> bool:
    return is_member(user, community)


def can_decide_request(user: Actor, membership: Any) -> bool:
    """Moderators decide on others' requests (an admin cannot let themself in)."""
    return (
        membership is not None
        and membership.status == "requested"
        and membership.user_id != user.id
        and membership.community.archived_at is None
        and can_moderate_community(user, membership.community)
    )


def can_manage_member(user: Actor, membership: Any) -> bool:
    """Change the role of, or remove, an active member (never yourself)."""
    return (
        membership is not None
        and membership.status == "active"
        and membership.user_id != user.id
        and membership.community.archived_at is None
        and can_moderate_community(user, membership.community)
    )


def can_revoke_invitation(user: Actor, invitation: Any) -> bool:
    return (
        invitation is not None
        and invitation.accepted_at is None
        and invitation.revoked_at is None
        and can_moderate_community(user, invitation.community)
    )
