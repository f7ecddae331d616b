"""The query half of the policy: which objects a user may see, as SQL expressions.

Each scope here answers, for many rows at once, the question its predicate answers for
one object, and is built from the same inputs (the user's own membership rows, loaded
once per request): `visible_communities(u)` is `can_see_community(u, c)`,
`readable_cases(u)` is `can_read_case(u, c)`, and so on. Every list, count, search,
digest, feed and mail query uses these, never its own copy of a rule;
tests/test_policy_scopes.py proves over generated worlds that each pair agrees.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select

from community.models import Approach, Case, Community, Contribution, Meeting, Membership, User
from community.models.base import utcnow
from community.policy.base import Actor, has_second_factor, is_active_user


def is_acting_admin(user: Actor) -> bool:
    """An administrator who signed in with the second factor (the only kind that acts)."""
    return is_active_user(user) and user.is_admin and has_second_factor(user)


def member_community_ids(user: Actor) -> list[int]:
    """The communities the user is an active member of (none for inactive accounts)."""
    if not is_active_user(user):
        return []
    return [cid for cid, m in user.memberships_by_community().items() if m.status == "active"]


def moderating_community_ids(user: Actor) -> list[int]:
    """The communities where the user acts as moderator: the role and the second factor."""
    if not is_active_user(user) or not has_second_factor(user):
        return []
    return [
        cid
        for cid, m in user.memberships_by_community().items()
        if m.status == "active" and m.role == "moderator"
    ]


def invited_community_ids(user: Actor) -> list[int]:
    """Communities with an open invitation for the user (neither expired nor revoked)."""
    if not is_active_user(user):
        return []
    now = utcnow()
    return [
        cid
        for cid, m in user.memberships_by_community().items()
        if m.status == "invited"
        and m.invitation_expires_at is not None
        and m.invitation_expires_at > now
    ]


# The same three inputs read by the statement itself, for a user given by id (the login
# check reads the account, its memberships and the unread count in one statement):
# equal to the lists above for an active account.


def member_community_ids_query(user_id: ColumnElement[int]) -> Select[int]:
    """`member_community_ids` as a subquery."""
    return select(Membership.community_id).where(
        Membership.user_id == user_id, Membership.status == "active"
    )


def _has_second_factor(user_id: ColumnElement[int], required: bool) -> list[ColumnElement[bool]]:
    """`has_second_factor` of the account `user_id`; `required` is REQUIRE_2FA_FOR_STAFF."""
    if not required:
        return []
    account = aliased(User, name="second_factor_account")  # never correlated to `users`
    return [
        exists(select(account.id).where(account.id == user_id, account.totp_secret.is_not(None)))
    ]


def moderating_community_ids_query(
    user_id: ColumnElement[int], second_factor_required: bool
) -> Select[int]:
    """`moderating_community_ids` as a subquery."""
    return select(Membership.community_id).where(
        Membership.user_id == user_id,
        Membership.status == "active",
        Membership.role == "moderator",
        *_has_second_factor(user_id, second_factor_required),
    )


def is_acting_admin_query(
    user_id: ColumnElement[int], second_factor_required: bool
) -> ColumnElement[bool]:
    """`is_acting_admin` as an EXISTS."""
    account = aliased(User, name="acting_admin_account")
    return and_(
        exists(
            select(account.id).where(
                account.id == user_id, account.status == "active", account.platform_role == "admin"
            )
        ),
        *_has_second_factor(user_id, second_factor_required),
    )


def _in(column: Any, ids: list[int]) -> ColumnElement[bool]:
    # An empty IN is false on every backend; spelled out so the statement stays simple.
    return column.in_(ids) if ids else false()


# Communities ------------------------------------------------------------------------


def visible_communities(user: Actor) -> ColumnElement[bool]:
    """`can_see_community`: may the user know the community exists?"""
    if not is_active_user(user):
        return false()
    if is_acting_admin(user):
        return true()
    return or_(
        _in(Community.id, member_community_ids(user)),
        and_(
            Community.archived_at.is_(None),
            or_(
                Community.visibility == "closed",
                _in(Community.id, invited_community_ids(user)),
            ),
        ),
    )


def front_door_communities() -> ColumnElement[bool]:
    """`can_list_on_front_door`: the communities the public front door may name."""
    return and_(Community.archived_at.is_(None), Community.visibility == "closed")


def member_communities(user: Actor) -> ColumnElement[bool]:
    """`can_view_community`: the communities whose content the user may read."""
    return _in(Community.id, member_community_ids(user))


@functools.cache
def active_memberships(role: str | None = None) -> ColumnElement[bool]:
    """Membership rows that count: active, of an active account (and with `role`).

    The predicates ask the same of one user (`is_member`: an active user with an active
    membership); this is the form for lists of other people: member lists, counts,
    recipients of mail and notifications. It depends on nothing but `role`, so it is
    built once per role (an expression is immutable; building it cost more than
    running the count it is part of).
    """
    # Correlated: one primary-key look-up per membership row, not a scan of all accounts.
    account_active = (
        select(User.id)
        .where(User.id == Membership.user_id, User.status == "active")
        .correlate_except(User)
        .exists()
    )
    clause = and_(Membership.status == "active", account_active)
    if role is not None:
        clause = and_(clause, Membership.role == role)
    return clause


def still_member(community_id: int, user_id: int) -> Select[Any]:
    """A row when the user is still an active member: mail checks it just before sending."""
    return select(Membership.id).where(
        Membership.community_id == community_id,
        Membership.user_id == user_id,
        active_memberships(),
    )


# Content ----------------------------------------------------------------------------


def readable_cases(user: Actor) -> ColumnElement[bool]:
    """`can_read_case`: published cases of the user's communities and their own drafts;
    a hidden case only for its author and the community's acting moderators."""
    member_of = member_community_ids(user)
    if not member_of:
        return false()
    return and_(
        Case.community_id.in_(member_of),
        or_(Case.phase != "draft", Case.author_id == user.id),
        or_(
            Case.hidden_at.is_(None),
            Case.author_id == user.id,
            _in(Case.community_id, moderating_community_ids(user)),
        ),
    )


def readable_contributions(user: Actor) -> ColumnElement[bool]:
    """`can_read_contribution`: in a readable case; hidden or held ones only for their
    author and the community's acting moderators."""
    member_of = member_community_ids(user)
    if not member_of:
        return false()
    moderating = moderating_community_ids(user)
    in_moderated_case = (
        Contribution.case_id.in_(select(Case.id).where(Case.community_id.in_(moderating)))
        if moderating
        else false()
    )
    return and_(
        Contribution.case_id.in_(select(Case.id).where(readable_cases(user))),
        or_(
            and_(Contribution.hidden_at.is_(None), Contribution.pending_review.is_(False)),
            Contribution.author_id == user.id,
            in_moderated_case,
        ),
    )


def readable_approaches(user: Actor) -> ColumnElement[bool]:
    """`can_view_approach`: the library for every active user, the rest for members."""
    if not is_active_user(user):
        return false()
    return or_(
        and_(Approach.scope == "library", Approach.library_approved_at.is_not(None)),
        _in(Approach.community_id, member_community_ids(user)),
    )


def readable_meetings(user: Actor) -> ColumnElement[bool]:
    """`can_view_meeting`: the meetings of the user's communities."""
    return _in(Meeting.community_id, member_community_ids(user))


def search_scope(user: Actor, community_id: int | None = None) -> list[str]:
    """The access tags of the search index the user may read (see search.tags_for).

    `c<id>` for each community the user is a member of (only the chosen one when
    `community_id` is given), `library` for approaches in the library.
    """
    member_of = member_community_ids(user)
    if community_id:
        return [f"c{community_id}"] if community_id in member_of else []
    if not is_active_user(user):
        return []
    return [f"c{cid}" for cid in member_of] + ["library"]
