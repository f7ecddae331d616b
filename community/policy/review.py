"""What waits in a user's review queue, as predicates and as query scopes.

The queue (/moderation) is a moderator's pending work in their own communities and,
for administrators who signed in with the second factor, the accounts waiting for
approval. Each scope here is the SQL form of the predicate beside it, built from the
same inputs (`moderating_community_ids`, `is_acting_admin`); an administrator acts on
join requests everywhere (`can_decide_request`), but their queue holds only the
communities they moderate themselves, so it stays theirs and never shows content.
tests/test_review_queue.py proves each pair agrees over generated worlds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, select

from community.models import Approach, Case, Community, Contribution, Flag, Membership, User
from community.policy.base import Actor, can_approve_account
from community.policy.communities import can_decide_request
from community.policy.content import can_approve_library
from community.policy.scopes import is_acting_admin, moderating_community_ids


def _active_community(column: Any) -> ColumnElement[bool]:
    return column.in_(select(Community.id).where(Community.archived_at.is_(None)))


def in_review_queue_request(user: Actor, membership: Any) -> bool:
    """A join request the user decides on as one of the community's moderators."""
    return membership.community_id in moderating_community_ids(user) and can_decide_request(
        user, membership
    )


def review_requests(user: Actor) -> ColumnElement[bool]:
    """`in_review_queue_request` for many membership rows."""
    moderating = moderating_community_ids(user)
    if not moderating:
        return false()
    return and_(
        Membership.community_id.in_(moderating),
        Membership.status == "requested",
        Membership.user_id != user.id,
        _active_community(Membership.community_id),
    )


def in_review_queue_library(user: Actor, approach: Any) -> bool:
    """An approach whose author asked for the library, for another moderator to approve."""
    return can_approve_library(user, approach)


def review_library(user: Actor) -> ColumnElement[bool]:
    """`in_review_queue_library` (`can_approve_library`) for many approaches."""
    moderating = moderating_community_ids(user)
    if not moderating:
        return false()
    return and_(
        Approach.community_id.in_(moderating),
        Approach.library_requested_at.is_not(None),
        # not in the library yet (`is_in_library` is both of these)
        ~and_(Approach.scope == "library", Approach.library_approved_at.is_not(None)),
        Approach.author_id.is_distinct_from(user.id),
        _active_community(Approach.community_id),
    )


def in_review_queue_flag(user: Actor, flag: Any) -> bool:
    """An open flag in a community the user moderates (`can_moderate_content`)."""
    return flag.status == "open" and flag.community_id in moderating_community_ids(user)


def review_flags(user: Actor) -> ColumnElement[bool]:
    moderating = moderating_community_ids(user)
    if not moderating:
        return false()
    return and_(Flag.community_id.in_(moderating), Flag.status == "open")


def in_review_queue_contribution(user: Actor, contribution: Any) -> bool:
    """A new member's contribution held for a moderator of its community."""
    return bool(contribution.pending_review) and (
        contribution.case.community_id in moderating_community_ids(user)
    )


def review_contributions(user: Actor) -> ColumnElement[bool]:
    moderating = moderating_community_ids(user)
    if not moderating:
        return false()
    return and_(
        Contribution.pending_review.is_(True),
        Contribution.case_id.in_(select(Case.id).where(Case.community_id.in_(moderating))),
    )


def in_review_queue_account(user: Actor, account: Any) -> bool:
    """An account waiting for an administrator: pending, its e-mail address confirmed."""
    return can_approve_account(user, account)


def review_accounts(user: Actor) -> ColumnElement[bool]:
    if not is_acting_admin(user):
        return false()
    return and_(User.status == "pending", User.email_confirmed_at.is_not(None))
