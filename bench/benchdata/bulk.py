"""Fast bulk inserts for generated data: COPY on PostgreSQL, executemany on SQLite.

Rows are tuples in the order of `columns`; ids are given by the generator (from
`next_id`), so rows can point at each other without a round trip per row. After a
load on PostgreSQL, `fix_sequences` moves every id sequence past the ids used.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, text

from community.extensions import db

BATCH = 10_000


def _is_postgres() -> bool:
    return bool(db.engine.dialect.name == "postgresql")


def next_id(table: Table) -> int:
    return int(db.session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1


def _copy_value(value: Any) -> Any:
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value


def _with_defaults(
    table: Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Add the columns' Python-side defaults (COPY does not know them) to every row."""
    extra = [
        c
        for c in table.columns
        if c.name not in columns and c.default is not None and c.default.is_scalar
    ]
    constants = tuple(c.default.arg for c in extra)  # type: ignore[union-attr]
    names = [*columns, *(c.name for c in extra)]
    missing = [
        c.name
        for c in table.columns
        if c.name not in names and not c.nullable and c.server_default is None and not c.primary_key
    ]
    if missing:  # a callable default (a timestamp, a token): the generator must give it
        raise ValueError(f"{table.name}: no value for {', '.join(missing)}")
    return names, (row + constants for row in rows)


def write(table: Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert the rows; returns how many. Columns left out get their scalar default."""
    count = 0
    columns, rows = _with_defaults(table, columns, rows)
    if _is_postgres():
        connection = db.session.connection().connection.dbapi_connection
        assert connection is not None
        names = ", ".join(f'"{c}"' for c in columns)
        cursor: Any = connection.cursor()  # psycopg's: it has copy()
        with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([_copy_value(v) for v in row])
                count += 1
        return count
    statement = insert(table)
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) >= BATCH:
            db.session.execute(statement, batch)
            count += len(batch)
            batch = []
    if batch:
        db.session.execute(statement, batch)
        count += len(batch)
    return count


def fix_sequences(tables: Iterable[Table]) -> None:
    """PostgreSQL: let the id sequences continue after the ids the generator chose."""
    if not _is_postgres():
        return
    for table in tables:  # our own table names, not input
        statement = (
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
            f'(SELECT coalesce(max(id), 0) + 1 FROM "{table.name}"), false)'
        )
        db.session.execute(text(statement))


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as a maintained database has."""
    db.session.commit()
    if _is_postgres():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
