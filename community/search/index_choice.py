"""Which full-text index a search reads: FTS5 (SQLite), RUM or GIN (PostgreSQL).

`SEARCH_INDEX` on PostgreSQL:

- `gin` (the default): the GIN index, which is always there; nothing is looked up.
- `auto`: the RUM index when the `rum` extension is installed in the database and the
  index exists (community.search_ddl), otherwise GIN.
- `rum`: the RUM index, and an error rather than a silent GIN without it.

What the database has is looked up once per process and engine, at the first search, and
kept: it is no access decision, only which index answers the same query, with the same
scope and order. After a DBA installs the extension and runs `flask search-reindex
--index-only`, restart the application (the command resets the look-up in its own
process only).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Literal

from flask import current_app
from sqlalchemy import Engine

from community import search_ddl
from community.config import SEARCH_INDEXES as SETTINGS
from community.extensions import db

Index = Literal["fts", "rum", "gin"]


class RumUnavailable(RuntimeError):
    """SEARCH_INDEX=rum, but the database has no RUM extension or index."""


@dataclass(frozen=True)
class Found:
    """What the database has: the RUM extension's schema (or None), and the RUM index."""

    rum_schema: str | None
    rum_index: bool


@dataclass(frozen=True)
class Choice:
    index: Index
    rum_schema: str | None = None  # the schema of RUM's operators, when index == "rum"


_found: weakref.WeakKeyDictionary[Engine, Found] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _look_up(engine: Engine) -> Found:
    with _lock:
        found = _found.get(engine)
        if found is None:
            with engine.connect() as connection:
                schema = search_ddl.rum_schema(connection)
                index = schema is not None and search_ddl.has_rum_index(connection)
            found = _found[engine] = Found(schema, index)
        return found


def forget() -> None:
    """Look again at the next search (after the index was made or dropped)."""
    with _lock:
        _found.clear()


def choose() -> Choice:
    """The index the next search reads, from SEARCH_INDEX and what the database has."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return Choice("fts")
    setting = str(current_app.config.get("SEARCH_INDEX") or "gin").strip().lower()
    if setting not in SETTINGS:
        raise ValueError(f"SEARCH_INDEX must be one of {', '.join(SETTINGS)}, not {setting!r}")
    if setting == "gin":
        return Choice("gin")
    found = _look_up(engine)
    if found.rum_schema is not None and found.rum_index:
        return Choice("rum", found.rum_schema)
    if setting == "rum":
        raise RumUnavailable(
            "SEARCH_INDEX=rum, but the database has no RUM index: as a superuser run "
            "CREATE EXTENSION rum; then flask search-reindex --index-only"
        )
    return Choice("gin")
