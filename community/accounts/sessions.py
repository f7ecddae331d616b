"""The browsers a user is signed in on: registered at login, seen, and ended on request."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from flask import current_app, g, request, session
from sqlalchemy import select, update

from community import audit, transaction
from community.accounts import access_version
from community.extensions import db
from community.models import User, UserSession
from community.models.base import utcnow

SEEN_EVERY = timedelta(minutes=1)


def _device() -> str:
    agent = request.user_agent.string or ""
    return agent[:200]


def start(user: User) -> UserSession:
    """Register this browser; its token lives in the (signed) session cookie."""
    record = UserSession(user_id=user.id, device=_device(), ip=request.remote_addr)
    db.session.add(record)
    db.session.flush()
    session["sid"] = record.token
    remember(record.token, record)
    return record


def remember(token: str, record: UserSession | None) -> None:
    """Keep a looked-up session row for the rest of the request (login check, then `touch`)."""
    g.setdefault("_user_sessions", {})[token] = record


def _by_token(token: str) -> UserSession | None:
    known: dict[str, UserSession | None] = g.setdefault("_user_sessions", {})
    if token not in known:
        known[token] = db.session.scalar(select(UserSession).where(UserSession.token == token))
    return known[token]


def current() -> UserSession | None:
    token = session.get("sid")
    if not token:
        return None
    return _by_token(token)


def is_ended(sid: str | None = None) -> bool:
    """True when this browser's session (the one in its login id) was ended."""
    for token in {sid, session.get("sid")} - {None, ""}:
        record = _by_token(str(token))
        if record is not None and record.ended_at is not None:
            return True
    return False


def touch(user: User) -> None:
    """Remember when this browser was last seen (at most once a minute), or register it.

    Nothing is written here, in `before_request`: a browser without a session row gets
    one with the request's own commit; "last seen" is noted after the request, in a
    small transaction of its own (`transaction.afterwards`), so a GET stays a read and
    a lock it cannot get in time skips the note instead of costing the page.
    """
    record = current()
    if record is None or record.user_id != user.id:
        start(user)
        return
    if utcnow() - record.last_seen_at > SEEN_EVERY:
        transaction.afterwards(partial(_note_seen, record.id, request.remote_addr))


def _note_seen(session_id: int, ip: str | None) -> None:
    now = utcnow()
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.last_seen_at < now - SEEN_EVERY)
        .values(last_seen_at=now, ip=ip)
        .execution_options(synchronize_session=False, **{access_version.ACCESS_UNCHANGED: True})
    )


# The account page lists at most this many sessions, most recently seen first.
SHOWN = 20


def active(user: User) -> list[UserSession]:
    """Sessions that can still be used: not ended, and seen within the remember-me period
    (a browser away longer has lost both cookies; its row is history, not a session)."""
    horizon = utcnow() - timedelta(seconds=current_app.config["REMEMBER_COOKIE_DURATION"])
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.last_seen_at >= horizon,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
            .limit(SHOWN)
        )
    )


def end(user: User, session_id: int | None, ip: str | None) -> int:
    """End one session of the user, or (without an id) all but this one."""
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if session_id is not None:
        query = query.where(UserSession.id == session_id)
    else:
        mine = current()
        if mine is not None:
            query = query.where(UserSession.id != mine.id)
    result = db.session.execute(
        query.values(ended_at=utcnow()).execution_options(synchronize_session=False)
    )
    audit.record("session.ended", actor=user, target=user, ip=ip, session_id=session_id)
    return int(getattr(result, "rowcount", 0) or 0)
