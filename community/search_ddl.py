"""The full-text index on `search_documents`, per database backend.

Used by the migration and by `create_all` (tests), so both build the same index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, event

from community.models.search import SearchDocument

# `tags` holds the document's access and filter tokens (`c12 kcase t3 library`, see
# community.search.tags_for): the permission filter is part of the full-text query,
# so the index only ever walks documents the user may read.
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, tags, content='search_documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title, body, tags) "
    "VALUES (new.id, new.title, new.body, new.tags); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body, tags) "
    "VALUES ('delete', old.id, old.title, old.body, old.tags); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body, tags) "
    "VALUES ('delete', old.id, old.title, old.body, old.tags); "
    "INSERT INTO search_fts(rowid, title, body, tags) "
    "VALUES (new.id, new.title, new.body, new.tags); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_documents_au",
    "DROP TRIGGER IF EXISTS search_documents_ad",
    "DROP TRIGGER IF EXISTS search_documents_ai",
    "DROP TABLE IF EXISTS search_fts",
]
# Title (A) and body (B) in Dutch; each tag as the lexeme "tag <tag>" (array_to_tsvector:
# stored as is). No text ever parses into a lexeme with a space, so a tag cannot be forged
# by writing "c12" in a contribution, and queries need no weights (which would force
# PostgreSQL to recheck every match in the table: the GIN index keeps no weights).
POSTGRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_search_documents_tsv ON search_documents USING gin (tsv)"
)
POSTGRES = [
    "ALTER TABLE search_documents ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('dutch', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('dutch', coalesce(body, '')), 'B') || "
    "array_to_tsvector(string_to_array('tag ' || replace(tags, ' ', ',tag '), ','))) STORED",
    POSTGRES_INDEX,
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS ix_search_documents_tsv",
    "ALTER TABLE search_documents DROP COLUMN IF EXISTS tsv",
]


def statements(dialect: str) -> list[str]:
    return {"sqlite": SQLITE, "postgresql": POSTGRES}.get(dialect, [])


_installed = False


def install() -> None:
    """Create the index whenever the table is created with `create_all` (registered once)."""
    global _installed
    if _installed:
        return
    _installed = True
    table = SearchDocument.__table__
    for statement in SQLITE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRES:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in SQLITE_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="sqlite"))


def is_index_object(name: Any, type_: str) -> bool:
    """For schema comparisons: the backend-specific index is not in the models."""
    return str(name).startswith("search_fts") or name in {"tsv", "ix_search_documents_tsv"}
