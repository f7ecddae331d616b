"""Which notifications a user may still see, as a predicate and as a query scope.

A notification was addressed to one person, but what it may show follows their access
now, not when it was written: `member` kinds only while an active member of the
notification's community, `moderator` kinds only while acting as moderator there
(administrators who signed in with the second factor: membership matters only), and
nothing about a hidden case unless the user wrote it or moderates its community.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    bindparam,
    false,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.sql.elements import BindParameter

from community.extensions import db
from community.models import Case, Notification
from community.notifications.kinds import KINDS, names_for
from community.policy.base import Actor, is_active_user
from community.policy.scopes import (
    is_acting_admin,
    is_acting_admin_query,
    member_community_ids,
    member_community_ids_query,
    moderating_community_ids,
    moderating_community_ids_query,
)

_KIND_NAME = re.compile(r"[a-z_]+")


def can_see_notification(user: Actor, notification: Any) -> bool:
    kind = KINDS.get(notification.kind)
    if kind is None or not is_active_user(user) or notification.recipient_id != user.id:
        return False
    if notification.target_type == "cases" and notification.target_id is not None:
        case = db.session.get(Case, notification.target_id)
        if (
            case is not None
            and case.hidden_at is not None
            and case.author_id != user.id
            and case.community_id not in moderating_community_ids(user)
        ):
            return False
    if kind.audience == "personal":
        return True
    if kind.audience == "member":
        return notification.community_id in member_community_ids(user)
    if notification.community_id in moderating_community_ids(user):
        return True
    return is_acting_admin(user) and kind.for_admins


def notification_params(user: Actor) -> dict[str, Any]:
    """The bound values `notification_scope(user)` is run with."""
    return {
        "visible_user_id": user.id,
        "visible_member_of": member_community_ids(user),
        "visible_moderating": (moderating := moderating_community_ids(user)),
        # The same list under a second name for NOT IN: an expanding parameter renders
        # an empty list by the last operator it was used with, so sharing one between IN
        # and NOT IN made "not in no communities" false on PostgreSQL (tested).
        "visible_not_moderating": moderating,
    }


def notification_scope(user: Actor) -> ColumnElement[bool]:
    """`can_see_notification` for many rows; run it with `notification_params(user)`."""
    if not is_active_user(user):
        return false()
    return notification_scope_for(is_acting_admin(user), tuple(KINDS))


@functools.cache
def notification_scope_for(acting_admin: bool, kinds: tuple[str, ...]) -> ColumnElement[bool]:
    """Built once per shape, with the user's id and communities as bound parameters:
    building this expression anew cost more than running it, on every page (the
    header's unread count)."""
    member_of: BindParameter[list[int]] = bindparam("visible_member_of", expanding=True)
    moderating: BindParameter[list[int]] = bindparam("visible_moderating", expanding=True)
    not_moderating: BindParameter[list[int]] = bindparam("visible_not_moderating", expanding=True)
    return _scope(
        bindparam("visible_user_id"),
        member_of,
        moderating,
        not_moderating,
        kinds,
        (true() if acting_admin else None),
    )


@functools.cache
def notification_scope_in_sql(
    kinds: tuple[str, ...], second_factor_required: bool
) -> ColumnElement[bool]:
    """The same rule for an active account, with its memberships and role read by the
    statement itself: run with `visible_user_id` only. The login check counts the
    unread notifications this way, in the statement that checks the session."""
    user_id: BindParameter[int] = bindparam("visible_user_id", type_=Integer)
    moderating = moderating_community_ids_query(user_id, second_factor_required)
    return _scope(
        user_id,
        member_community_ids_query(user_id),
        moderating,
        moderating,
        kinds,
        is_acting_admin_query(user_id, second_factor_required),
        inline_kinds=True,
    )


def _scope(
    user_id: Any,
    member_of: Any,
    moderating: Any,
    not_moderating: Any,
    kinds: tuple[str, ...],
    acting_admin: ColumnElement[bool] | None,
    *,
    inline_kinds: bool = False,
) -> ColumnElement[bool]:
    def kind_in(names: list[str]) -> ColumnElement[bool]:
        if not inline_kinds:
            return Notification.kind.in_(names)
        # Written into the SQL: a statement with no list parameter is sent as compiled,
        # without expanding lists on every run (the login check runs on every page).
        if not all(_KIND_NAME.fullmatch(name) for name in names):
            raise ValueError(f"not a notification kind: {names!r}")
        return Notification.kind.in_([literal_column(f"'{name}'", String) for name in names])

    moderator_clause: ColumnElement[bool] = and_(
        kind_in(names_for("moderator")), Notification.community_id.in_(moderating)
    )
    if acting_admin is not None:  # admins act as moderators for membership matters only
        moderator_clause = or_(
            moderator_clause,
            and_(acting_admin, kind_in(names_for("moderator", for_admins=True))),
        )
    hidden_cases = select(Case.id).where(
        Case.hidden_at.is_not(None),
        or_(Case.author_id.is_(None), Case.author_id != user_id),
        Case.community_id.not_in(not_moderating),
    )
    # Spelled out rather than NOT (type = 'cases' AND id IN ...): that is NULL, so false,
    # for a notification without a target (a handled report) once any case is hidden.
    not_about_hidden = or_(
        Notification.target_type.is_(None),
        Notification.target_type != "cases",
        Notification.target_id.is_(None),
        Notification.target_id.not_in(hidden_cases),
    )
    return and_(
        Notification.recipient_id == user_id,
        kind_in(list(kinds)),
        not_about_hidden,
        or_(
            kind_in(names_for("personal")),
            and_(kind_in(names_for("member")), Notification.community_id.in_(member_of)),
            moderator_clause,
        ),
    )
