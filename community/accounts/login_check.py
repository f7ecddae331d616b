"""The login check in one statement: account, this browser's session, memberships, unread.

Every logged-in request asks the same things before its page: the account (its status,
role, second factor and session token decide whether the login still counts), this
browser's `UserSession` row (ended or not), the account's memberships (every policy
decision reads them) and the unread notifications in the header. They are read in one
statement, in the request's own transaction, so a revocation committed before it is
seen at once; nothing is cached across requests.

The memberships come back as one JSON array (`json_group_array` on SQLite, `json_agg`
on PostgreSQL) and become `MembershipRow`s; the unread count uses the notification
scope with the memberships read by the statement itself
(`notifications.services.unread_in_sql`), equal to `unread_count`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from flask import current_app, g
from sqlalchemy import JSON, Integer, bindparam, func, select
from sqlalchemy.sql import Select

from community.accounts import access_version
from community.extensions import db
from community.models import Membership, User, UserSession, membership_row
from community.notifications.kinds import KINDS


@dataclass(frozen=True, slots=True)
class Found:
    user: User
    session: UserSession | None
    access_version: int


def _memberships_array(dialect: str) -> Any:
    columns = [getattr(Membership, name) for name in membership_row.COLUMNS]
    if dialect == "postgresql":
        return func.json_agg(func.json_build_array(*columns), type_=JSON)
    return func.json_group_array(func.json_array(*columns), type_=JSON)


@functools.cache
def _statement(dialect: str, kinds: tuple[str, ...], second_factor_required: bool) -> Select[Any]:
    from community.notifications.services import UNREAD_SHOWN, unread_in_sql

    user_id = bindparam("visible_user_id", type_=Integer)
    memberships = (
        select(_memberships_array(dialect)).where(Membership.user_id == user_id).scalar_subquery()
    )
    unread = unread_in_sql(kinds, UNREAD_SHOWN, second_factor_required)
    return (
        select(User, UserSession, memberships.label("memberships"), unread.label("unread"))
        .outerjoin(UserSession, UserSession.token == bindparam("sid"))
        .where(User.id == user_id)
    )


def statement() -> Select[Any]:
    return _statement(
        db.engine.dialect.name,
        tuple(KINDS),
        bool(current_app.config.get("REQUIRE_2FA_FOR_STAFF", True)),
    )


def run(user_id: int, sid: str) -> Found | None:
    """Read the account and this browser's session; keep the rest for this request."""
    row = db.session.execute(statement(), {"visible_user_id": user_id, "sid": sid}).first()
    if row is None:
        return None
    user, record, memberships, unread = row
    g.setdefault("leerkring_memberships", {})[user.id] = {
        values[1]: membership_row.from_values(user.id, values) for values in memberships or ()
    }
    setattr(g, access_version.PER_REQUEST, {"user_id": user.id, "unread": int(unread or 0)})
    return Found(user, record, user.access_version)


def unread_count(user_id: int) -> int | None:
    """The unread count the login check read for this user, unless a change since."""
    known: dict[str, int] | None = g.get(access_version.PER_REQUEST)
    if known is None or known["user_id"] != user_id:
        return None
    return known["unread"]
