"""Create an object once per idempotency key, also when two submits of it race.

Forms that create something (a case, a contribution, an approach) carry an
idempotency key; the table has a unique constraint on (author, key). A double click
sends the key twice:

- one after the other: the second finds the first (`find`) and returns it;
- truly at once: both may find nothing. The unique constraint lets one insert win;
  the loser's insert fails inside a savepoint, so the rest of its transaction stays
  usable, and it returns the winner's object. That object is visible to the loser by
  then: on PostgreSQL its insert waited for the winner's commit and the next
  statement (READ COMMITTED) sees it; on SQLite it waited at `BEGIN IMMEDIATE`
  (`community.sqlite`) and so found the winner's row in `find` already.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from community.extensions import db

T = TypeVar("T")


def create_once(
    key: str | None, find: Callable[[str], T | None], build: Callable[[], T]
) -> tuple[T, bool]:
    """The object stored under `key`, or the one `build()` makes, added and flushed.

    Returns `(object, created)`; only a created object needs the work that follows a
    creation (attachments, search, audit, notifications). Without a key every call
    creates. `build` may refuse with a `DomainError`; it runs only when nothing was found.
    """
    if key:
        existing = find(key)
        if existing is not None:
            return existing, False
    obj = build()
    try:
        with db.session.begin_nested():
            db.session.add(obj)
    except IntegrityError:  # the other submit of the same key won the race
        existing = find(key) if key else None
        if existing is None:  # another constraint: not ours to explain away
            raise
        return existing, False
    return obj, True
