"""`users.access_version`: raised in the same transaction as every change to a user's access.

One place, so no service can forget it: every flush that adds, deletes or changes a
`Membership` (status, role, community, invitation expiry), changes an account's status,
platform role, second factor, password or session token, or ends a `UserSession`,
raises the version of the users concerned with a plain
`UPDATE users SET access_version = access_version + 1`. Bulk ORM updates and deletes
of memberships and sessions (`transition`, revoking invitations, erasure, "end all
sessions") raise it for the rows their WHERE clause selects, just before they run.

The login check reads the version in its one statement (`community.accounts.login_check`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g, has_app_context
from sqlalchemy import Table, event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.orm.util import identity_key

from community.models import Membership, Notification, User, UserSession

USER_COLUMNS = ("status", "platform_role", "totp_secret", "password_hash", "session_token")
MEMBERSHIP_COLUMNS = ("status", "role", "community_id", "user_id", "invitation_expires_at")
SESSION_COLUMNS = ("ended_at", "user_id", "token")

# A bulk change with this execution option is bookkeeping, not access ("last seen").
ACCESS_UNCHANGED = "leerkring_access_unchanged"

# What the login check worked out for this request's user from its one statement (the
# unread count): dropped by any change that could alter it, so a page rendered after a
# change in the same request shows the stored state.
PER_REQUEST = "leerkring_login_check"


def _changed(obj: Any, columns: Iterable[str]) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in columns)


def _changed_access(obj: Any) -> bool:
    if isinstance(obj, Membership):
        return _changed(obj, MEMBERSHIP_COLUMNS)
    return isinstance(obj, UserSession) and _changed(obj, SESSION_COLUMNS)


def _old_and_new_user_ids(obj: Any) -> set[int]:
    history = inspect(obj).attrs["user_id"].history
    return {uid for uid in (*history.deleted, *history.unchanged, *history.added) if uid}


def _forget_request_state(memberships: bool = False) -> None:
    if has_app_context():
        g.pop(PER_REQUEST, None)
        if memberships:  # loaded as plain values: read again after a change
            g.pop("leerkring_memberships", None)


def bump(session: Session, user_ids: Iterable[int]) -> None:
    """Raise the access version of these users, in the session's transaction."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    users: Table = User.__table__
    session.execute(
        update(users)
        .where(users.c.id.in_(ids))
        .values(access_version=users.c.access_version + 1)
        .execution_options(synchronize_session=False)
    )
    for uid in ids:  # a loaded account must not keep showing the old number
        loaded = session.identity_map.get(identity_key(User, uid))
        if loaded is not None:
            session.expire(loaded, ["access_version"])
    _forget_request_state(memberships=True)


@event.listens_for(Session, "before_flush")
def _bump_on_flush(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    ids: set[int] = set()
    notifications = False
    for obj in session.new:  # a new session row changes nobody's access
        if isinstance(obj, Membership):
            ids |= _old_and_new_user_ids(obj)
        notifications = notifications or isinstance(obj, Notification)
    for obj in session.deleted:
        if isinstance(obj, (Membership, UserSession)):
            ids |= _old_and_new_user_ids(obj)
        notifications = notifications or isinstance(obj, Notification)
    for obj in session.dirty:
        if isinstance(obj, User) and obj not in session.new and _changed(obj, USER_COLUMNS):
            ids.add(obj.id)
        elif _changed_access(obj):
            ids |= _old_and_new_user_ids(obj)
        notifications = notifications or isinstance(obj, Notification)
    if notifications:
        _forget_request_state()
    bump(session, ids)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk_change(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    if state.execution_options.get(ACCESS_UNCHANGED):
        return
    model = state.bind_mapper.class_
    if model is Notification:
        _forget_request_state()
        return
    if model not in (Membership, UserSession):
        return
    where = state.statement.whereclause  # type: ignore[attr-defined]
    affected = select(state.bind_mapper.local_table.c.user_id)
    if where is not None:
        affected = affected.where(where)
    # Read before the change runs: its WHERE (say, "status is still active") selects the
    # rows it is about to change, which it would no longer match afterwards.
    bump(state.session, state.session.scalars(affected).all())
