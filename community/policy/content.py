"""Content: cases, approaches, meetings and moderation, decided from their own community."""

from __future__ import annotations

from typing import Any

from community.cases import cycle
from community.models.base import utcnow
from community.policy.base import Actor, has_second_factor, is_active_user
from community.policy.communities import (
    community_role,
    is_member,
    is_moderator,
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


def can_read_case(user: Actor, case: Any) -> bool:
    """The case's content: a hidden case only for its author and the acting moderators.

    Lists, counts and search show what this allows (scope: `readable_cases`); the case
    page itself (`can_view_case`) shows members a notice in place of a hidden case.
    """
    if not can_view_case(user, case):
        return False
    return case.hidden_at is None or can_see_hidden(user, case, case.community)


def can_read_contribution(user: Actor, contribution: Any) -> bool:
    """A contribution in a readable case; hidden or held ones for author and moderators."""
    case = contribution.case
    return can_read_case(user, case) and can_see_contribution(user, contribution, case.community)


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


def can_reply_to_contribution(user: Actor, contribution: Any) -> bool:
    """One level of threading: a reply to a shown top-level contribution, in a kind the
    phase allows this user now (the reply is posted as one of those kinds)."""
    return (
        contribution.parent_id is None
        and contribution.hidden_at is None
        and not contribution.pending_review
        and bool(allowed_contribution_kinds(user, contribution.case))
    )


def can_appreciate_contribution(user: Actor, contribution: Any) -> bool:
    """Waardeer: any reader of the case, for a shown contribution by someone else.

    Apart from the case author's "waardevol" mark; not in an archived community."""
    case = contribution.case
    return (
        can_read_case(user, case)
        and _writable(case)
        and contribution.hidden_at is None
        and not contribution.pending_review
        and contribution.author_id != user.id
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
