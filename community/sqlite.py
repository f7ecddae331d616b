"""SQLite specifics: foreign keys on, WAL for a database file, and transactions that
savepoints cannot end early.

pysqlite starts a transaction only before the first write, so a SAVEPOINT issued
before any write would open (and its RELEASE would commit) the whole transaction.
The usual SQLAlchemy recipe: let the driver do nothing and emit BEGIN ourselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def enable_sqlite_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    database = engine.url.database or ""
    file_based = database not in ("", ":memory:") and not database.startswith("file::memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit BEGIN by the driver
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if file_based:  # readers and the one writer no longer block each other
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")
