"""SQLite specifics: foreign keys on, WAL for a database file, and transactions that
wait for the one writer instead of failing.

pysqlite starts a transaction only before the first write, so a SAVEPOINT issued
before any write would open (and its RELEASE would commit) the whole transaction.
The usual SQLAlchemy recipe ("Serializable isolation / Savepoints / Transactional
DDL" in its pysqlite notes): let the driver do nothing and emit BEGIN ourselves.

Which BEGIN: SQLite has one writer at a time. A plain (deferred) BEGIN that first
reads and later writes cannot wait for the lock when another connection committed
in between; it fails at once with "database is locked". So every transaction that
may write starts with `BEGIN IMMEDIATE`: it takes the write lock up front and waits
for it (up to `BUSY_TIMEOUT_MS`), and the loser of a race then reads what the
winner committed. Requests with a safe method (GET, HEAD, OPTIONS) only read and
begin deferred, so readers never queue behind each other; a request that must write
on a GET says so first with `expect_writes()`. Outside a request (CLI commands, the
worker, tests) every transaction begins IMMEDIATE.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from community.search import stemming

# How long a transaction waits for the write lock before "database is locked".
BUSY_TIMEOUT_MS = 15_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# GET pages that write (the link in an e-mail is a GET): immediate from their first query,
# before the session check reads anything.
WRITING_GETS = frozenset({"accounts.confirm_email"})
_WRITES = "leerkring_sqlite_writes"


def expect_writes() -> None:
    """The transactions begun from now on in this request may write: begin them IMMEDIATE."""
    setattr(g, _WRITES, True)


def begin_statement() -> str:
    if (
        has_request_context()
        and request.method in SAFE_METHODS
        and request.endpoint not in WRITING_GETS
        and not g.get(_WRITES)
    ):
        return "BEGIN"
    return "BEGIN IMMEDIATE"


def enable_sqlite_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    database = engine.url.database or ""
    file_based = database not in ("", ":memory:") and not database.startswith("file::memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit BEGIN by the driver
        # The search index's triggers feed FTS5 Dutch stems (community.search.stemming).
        dbapi_connection.create_function(
            stemming.SQL_FUNCTION, 1, stemming.stem_text, deterministic=True
        )
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if file_based:  # readers and the one writer no longer block each other
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin_statement())
