"""Every authorisation decision of the platform, as pure functions.

Views call `require(can_x(...))`; templates call the same functions through the
`can` Jinja global. No function here writes to the database.
"""

from __future__ import annotations

from typing import Any, Protocol

from flask import current_app, has_app_context
from werkzeug.exceptions import Forbidden, NotFound

from community.cases import cycle
from community.models.base import utcnow


class Actor(Protocol):
    """What a policy needs of a user; the anonymous visitor satisfies it too."""

    id: Any
    is_active: bool
    is_admin: bool
    is_authenticated: bool

    def membership_in(self, community: Any) -> Any: ...


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


def can_accept_invitation(user: Actor, community: Any) -> bool:
    return has_open_invitation(user, community)


def can_see_member_count(user: Actor, community: Any) -> bool:
    """Counts of a secret community are for its members only."""
    return community.visibility == "closed" or is_member(user, community) or user.is_admin


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


# Cases -----------------------------------------------------------------------
#
# Everything about a case is decided from the case's own community: a case is
# visible to the community's active members once published, a draft only to its
# author. Contributions and attachments follow their case.


def can_view_case(user: Actor, case: Any) -> bool:
    if case is None or not is_member(user, case.community):
        return False
    return bool(case.phase != "draft" or case.author_id == user.id)


def _writable(case: Any) -> bool:
    return case.community.archived_at is None


def is_case_author(user: Actor, case: Any) -> bool:
    return is_active_user(user) and case.author_id is not None and case.author_id == user.id


def can_create_case(user: Actor, community: Any) -> bool:
    return is_member(user, community) and community.archived_at is None


def can_edit_case(user: Actor, case: Any) -> bool:
    return (
        can_view_case(user, case)
        and _writable(case)
        and case.phase != "closed"
        and (is_case_author(user, case) or is_moderator(user, case.community))
    )


def allowed_contribution_kinds(user: Actor, case: Any) -> frozenset[str]:
    if not can_view_case(user, case) or not _writable(case):
        return frozenset()
    if case.locked_at is not None or case.hidden_at is not None:
        return frozenset()
    role = community_role(user, case.community) or "member"
    return cycle.allowed_kinds(case.community.method, case.phase, role, is_case_author(user, case))


def can_contribute(user: Actor, case: Any, kind: str) -> bool:
    return kind in allowed_contribution_kinds(user, case)


def can_edit_contribution(user: Actor, contribution: Any) -> bool:
    """Authors edit their own contribution while the phase it was written in is open."""
    case = contribution.case
    return (
        can_view_case(user, case)
        and _writable(case)
        and contribution.author_id == user.id
        and contribution.phase == case.phase
        and case.phase in cycle.OPEN_PHASES
    )


def can_mark_valuable(user: Actor, contribution: Any) -> bool:
    case = contribution.case
    return (
        is_case_author(user, case)
        and can_view_case(user, case)
        and _writable(case)
        and case.phase == "reflection"
        and contribution.author_id != user.id
    )


def can_move_case(user: Actor, case: Any, target: str) -> bool:
    return (
        can_view_case(user, case)
        and _writable(case)
        and cycle.can_move(
            case.phase,
            target,
            is_author=is_case_author(user, case),
            is_moderator=is_moderator(user, case.community),
        )
    )


def can_request_experts(user: Actor, case: Any) -> bool:
    return (
        can_view_case(user, case)
        and _writable(case)
        and case.phase in {"questions", "advice"}
        and (is_case_author(user, case) or is_moderator(user, case.community))
    )


def can_write_follow_up(user: Actor, case: Any) -> bool:
    """Terugkoppeling: the case author tells what came of a closed case."""
    return (
        is_case_author(user, case)
        and can_view_case(user, case)
        and _writable(case)
        and case.phase == "closed"
    )


# Approaches --------------------------------------------------------------------
#
# An approach belongs to a community. In scope `community` it follows the
# community's rules; once a moderator approved it for the library, every active
# user may read it (never anonymous visitors). Its sources (the case and the
# contributions it drew on) stay visible to the community's members only.


def is_in_library(approach: Any) -> bool:
    return approach.scope == "library" and approach.library_approved_at is not None


def can_view_approach(user: Actor, approach: Any) -> bool:
    if approach is None or not is_active_user(user):
        return False
    return is_in_library(approach) or is_member(user, approach.community)


def can_view_approach_sources(user: Actor, approach: Any) -> bool:
    return is_member(user, approach.community)


def can_create_approach(user: Actor, community: Any) -> bool:
    return is_member(user, community) and community.archived_at is None


def can_base_approach_on(user: Actor, case: Any) -> bool:
    return (
        can_view_case(user, case)
        and case.phase in {"reflection", "closed"}
        and (is_case_author(user, case) or is_moderator(user, case.community))
    )


def can_edit_approach(user: Actor, approach: Any) -> bool:
    return (
        is_member(user, approach.community)
        and approach.community.archived_at is None
        and (approach.author_id == user.id or is_moderator(user, approach.community))
    )


def can_request_library(user: Actor, approach: Any) -> bool:
    return (
        approach.author_id == user.id
        and is_member(user, approach.community)
        and approach.community.archived_at is None
        and approach.scope == "community"
        and approach.library_requested_at is None
    )


def can_approve_library(user: Actor, approach: Any) -> bool:
    """A second pair of eyes: a moderator other than the author, in an active community."""
    return (
        is_moderator(user, approach.community)
        and approach.author_id != user.id
        and approach.community.archived_at is None
        and approach.library_requested_at is not None
        and not is_in_library(approach)
    )


def can_withdraw_from_library(user: Actor, approach: Any) -> bool:
    return is_moderator(user, approach.community) and is_in_library(approach)


def can_adopt(user: Actor, approach: Any) -> bool:
    return can_view_approach(user, approach) and getattr(user, "organisation_id", None) is not None


# Meetings ----------------------------------------------------------------------


def can_view_meeting(user: Actor, meeting: Any) -> bool:
    return meeting is not None and is_member(user, meeting.community)


def can_plan_meeting(user: Actor, community: Any) -> bool:
    """Moderators plan meetings (members of the community; admins do not act here)."""
    return is_moderator(user, community) and community.archived_at is None


def can_edit_meeting(user: Actor, meeting: Any) -> bool:
    return can_plan_meeting(user, meeting.community)


def can_respond_to_meeting(user: Actor, meeting: Any) -> bool:
    return (
        can_view_meeting(user, meeting)
        and meeting.community.archived_at is None
        and meeting.ends_at > utcnow()
    )


# Moderation --------------------------------------------------------------------


def can_moderate_content(user: Actor, community: Any) -> bool:
    """Hide, lock, handle flags: the community's own moderators (admins do not read content)."""
    return is_moderator(user, community) and has_second_factor(user)


def can_see_hidden(user: Actor, obj: Any, community: Any) -> bool:
    """Hidden text stays readable for its author and the community's moderators."""
    return (is_active_user(user) and obj.author_id == user.id) or can_moderate_content(
        user, community
    )


def can_see_contribution(user: Actor, contribution: Any, community: Any) -> bool:
    """Hidden or held (new member) contributions: for their author and the moderators."""
    if contribution.hidden_at is None and not contribution.pending_review:
        return True
    return can_see_hidden(user, contribution, community)


def can_flag(user: Actor, community: Any, visible: bool) -> bool:
    return is_active_user(user) and visible and community is not None


def can_view_audit(user: Actor, community: Any) -> bool:
    return can_moderate_content(user, community) or (is_active_user(user) and user.is_admin)


def require(allowed: bool) -> None:
    """Stop the request with 403 unless the policy allowed it."""
    if not allowed:
        raise Forbidden()


def require_visible(visible: bool) -> None:
    """Stop the request with 404: the object may not even be known to exist."""
    if not visible:
        raise NotFound()


POLICIES = {name: fn for name, fn in globals().items() if name.startswith("can_") and callable(fn)}
