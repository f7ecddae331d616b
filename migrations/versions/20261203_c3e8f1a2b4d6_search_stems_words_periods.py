"""search: Dutch stems on SQLite, a word list for typos, and the period filter

- search_documents.created_at (when the object was written) and a month token in each
  document's tags (m202612), so the period filter is part of the full-text query;
- SQLite: the FTS5 index refilled with Dutch stems (community.search.stemming, through the
  leerkring_stems function every connection has), triggers that keep feeding it stems and
  only when the indexed columns change, and an fts5vocab table over its words;
- PostgreSQL: search_words, the index's lexemes, kept by a statement trigger.

Bodies indexed before this revision keep their Markdown until `flask search-reindex`
(new and edited objects are indexed as plain text).

Revision ID: c3e8f1a2b4d6
Revises: b7d2e4a91c05
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op

from community import search_ddl
from community.models.base import UTCDateTime


revision = 'c3e8f1a2b4d6'
down_revision = 'b7d2e4a91c05'
branch_labels = None
depends_on = None

OLD_SQLITE_TRIGGERS = [
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
DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_documents_au",
    "DROP TRIGGER IF EXISTS search_documents_ad",
    "DROP TRIGGER IF EXISTS search_documents_ai",
]
SOURCES = {
    'case': "SELECT coalesce(published_at, created_at) FROM cases WHERE cases.id = {0}",
    'contribution': "SELECT created_at FROM contributions WHERE contributions.id = {0}",
    'approach': "SELECT created_at FROM approaches WHERE approaches.id = {0}",
    'meeting': "SELECT created_at FROM meetings WHERE meetings.id = {0}",
}


def _backfill(month: str) -> None:
    for kind, source in SOURCES.items():
        op.execute(
            sa.text(
                f"UPDATE search_documents SET created_at = ({source.format('search_documents.object_id')}) "
                "WHERE kind = :kind"
            ).bindparams(kind=kind)
        )
    op.execute(
        f"UPDATE search_documents SET tags = tags || ' m' || {month} WHERE created_at IS NOT NULL"
    )


def upgrade():
    op.add_column('search_documents', sa.Column('created_at', UTCDateTime(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        for statement in DROP_TRIGGERS:
            op.execute(statement)
        _backfill("strftime('%Y%m', created_at)")
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
        op.execute(search_ddl.SQLITE_REFILL)
        for statement in search_ddl.SQLITE[1:]:
            op.execute(statement)
    else:
        _backfill("to_char(timezone('UTC', created_at), 'YYYYMM')")
        for statement in search_ddl.POSTGRES_WORDS:
            op.execute(statement)
        op.execute(search_ddl.POSTGRES_WORDS_FILL)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("DROP TABLE IF EXISTS search_vocabulary")
        for statement in DROP_TRIGGERS:
            op.execute(statement)
        op.execute(
            "UPDATE search_documents SET tags = substr(tags, 1, length(tags) - 8) "
            "WHERE tags LIKE '% m______'"
        )
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
        op.execute(
            "INSERT INTO search_fts(rowid, title, body, tags) "
            "SELECT id, title, body, tags FROM search_documents"
        )
        for statement in OLD_SQLITE_TRIGGERS:
            op.execute(statement)
    else:
        for statement in search_ddl.POSTGRES_WORDS_DROP:
            op.execute(statement)
        op.execute(
            "UPDATE search_documents SET tags = regexp_replace(tags, ' m[0-9]{6}$', '')"
        )
    op.drop_column('search_documents', 'created_at')
