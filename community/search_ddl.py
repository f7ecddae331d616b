"""The full-text index on `search_documents`, per database backend.

Used by the migration and by `create_all` (tests), so both build the same index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, Connection, event, text

from community.models.search import SearchDocument

# `tags` holds the document's access and filter tokens (`c12 kcase t3 library`, see
# community.search.tags_for): the permission filter is part of the full-text query,
# so the index only ever walks documents the user may read.
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, tags, content='search_documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    # The index holds Dutch stems (community.search.stemming; the function is registered
    # on every connection): "winkels" and "winkel" are one word, as on PostgreSQL. The
    # delete gives FTS5 the same stems it was given, as an external-content index needs.
    "CREATE TRIGGER IF NOT EXISTS search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title, body, tags) "
    "VALUES (new.id, leerkring_stems(new.title), leerkring_stems(new.body), new.tags); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body, tags) "
    "VALUES ('delete', old.id, leerkring_stems(old.title), leerkring_stems(old.body), "
    "old.tags); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_au AFTER UPDATE OF title, body, tags "
    "ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body, tags) "
    "VALUES ('delete', old.id, leerkring_stems(old.title), leerkring_stems(old.body), "
    "old.tags); "
    "INSERT INTO search_fts(rowid, title, body, tags) "
    "VALUES (new.id, leerkring_stems(new.title), leerkring_stems(new.body), new.tags); END",
    # The words of the index, for finding a word one or two letters off (typos.py).
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_vocabulary USING fts5vocab(search_fts, 'col')",
]
# Refill the index from the documents (the migration that introduced the stems).
SQLITE_REFILL = (
    "INSERT INTO search_fts(rowid, title, body, tags) "
    "SELECT id, leerkring_stems(title), leerkring_stems(body), tags FROM search_documents"
)
SQLITE_DROP = [
    "DROP TABLE IF EXISTS search_vocabulary",
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
# The words of the index (its lexemes, never a tag: those have a space), for finding a
# word one or two letters off (community.search.typos). Filled by a statement trigger from
# the rows a statement wrote, in word order so that two writers never wait on each other
# in a cycle; never emptied (a stale word only means one more candidate to try).
POSTGRES_WORDS = [
    'CREATE TABLE IF NOT EXISTS search_words (word text COLLATE "C" PRIMARY KEY)',
    "CREATE OR REPLACE FUNCTION search_words_add() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN INSERT INTO search_words (word) SELECT DISTINCT w FROM new_rows, "
    "unnest(tsvector_to_array(new_rows.tsv)) AS w WHERE position(' ' in w) = 0 "
    "ORDER BY w ON CONFLICT DO NOTHING; RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER search_documents_words_ai AFTER INSERT ON search_documents "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_add()",
    "CREATE OR REPLACE TRIGGER search_documents_words_au AFTER UPDATE ON search_documents "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_add()",
]
POSTGRES_WORDS_FILL = (
    "INSERT INTO search_words (word) SELECT DISTINCT w FROM search_documents, "
    "unnest(tsvector_to_array(tsv)) AS w WHERE position(' ' in w) = 0 ON CONFLICT DO NOTHING"
)
POSTGRES_WORDS_DROP = [
    "DROP TRIGGER IF EXISTS search_documents_words_au ON search_documents",
    "DROP TRIGGER IF EXISTS search_documents_words_ai ON search_documents",
    "DROP FUNCTION IF EXISTS search_words_add()",
    "DROP TABLE IF EXISTS search_words",
]
POSTGRES = [
    "ALTER TABLE search_documents ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('dutch', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('dutch', coalesce(body, '')), 'B') || "
    "array_to_tsvector(string_to_array('tag ' || replace(tags, ' ', ',tag '), ','))) STORED",
    POSTGRES_INDEX,
    *POSTGRES_WORDS,
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS ix_search_documents_rum",
    "DROP INDEX IF EXISTS ix_search_documents_tsv",
    "ALTER TABLE search_documents DROP COLUMN IF EXISTS tsv",
]


# With the RUM extension (https://github.com/postgrespro/rum; Debian postgresql-15-rum), a
# second index on the same tsvector keeps each lexeme's documents in id order (the id is
# attached to every entry, order_by_attach), so "the newest matches first" can be read
# from the index (community.search.index_choice). Measured about three times slower than
# GIN on the search set with RUM 1.3.13, hence SEARCH_INDEX=gin by default
# (docs/PERFORMANCE.md, "Issue 14"). RUM is not a trusted extension: a
# superuser runs CREATE EXTENSION rum. The index is then made by the migration or by
# `flask search-reindex` when SEARCH_INDEX is auto or rum (`wanted`), and by `create_all`
# (tests, a new development database) wherever the extension is, so that the tests can
# run both paths. Its operator class and operators live in the extension's schema, so
# they are named with it whatever the search_path.
RUM_INDEX = "ix_search_documents_rum"


def rum_schema(connection: Connection) -> str | None:
    """The schema of the RUM extension in this database, or None without it."""
    if connection.dialect.name != "postgresql":
        return None
    name = connection.execute(
        text(
            "SELECT n.nspname FROM pg_extension e "
            "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'rum'"
        )
    ).scalar()
    return None if name is None else str(name)


def has_rum_index(connection: Connection) -> bool:
    """Whether the RUM index exists (and is valid) on search_documents in the search_path."""
    if connection.dialect.name != "postgresql":
        return False
    valid = connection.execute(
        text("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:name)"),
        {"name": RUM_INDEX},
    ).scalar()
    return bool(valid)


def rum_index_statement(schema: str, quote: Any) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS {RUM_INDEX} ON search_documents USING rum "
        f"(tsv {quote(schema)}.rum_tsvector_addon_ops, id) "
        "WITH (attach = 'id', to = 'tsv', order_by_attach = 't')"
    )


def create_rum_index(connection: Connection) -> bool:
    """Make the RUM index if the extension is installed; whether it exists afterwards."""
    schema = rum_schema(connection)
    if schema is None:
        return False
    quote = connection.dialect.identifier_preparer.quote
    connection.execute(text(rum_index_statement(schema, quote)))
    return True


def drop_rum_index(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"DROP INDEX IF EXISTS {RUM_INDEX}"))


def wanted(config: Any) -> bool:
    """Whether the setting asks for the RUM index (SEARCH_INDEX auto or rum)."""
    return str(config.get("SEARCH_INDEX") or "gin") != "gin"


def _after_create(target: Any, connection: Connection, **kw: Any) -> None:
    create_rum_index(connection)


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
    event.listen(table, "after_create", _after_create)  # after the tsv column
    for statement in SQLITE_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRES_WORDS_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="postgresql"))


def is_index_object(name: Any, type_: str) -> bool:
    """For schema comparisons: the backend-specific index is not in the models."""
    backend_only = {"tsv", "ix_search_documents_tsv", RUM_INDEX, "search_words"}
    return str(name).startswith(("search_fts", "search_vocabulary")) or name in backend_only
