"""search: access and filter tags in the full-text index

The permission filter (the user's communities, the library) and the search filters
(kind, theme) become tokens of the full-text index, so a search only walks documents
the user may read and stays bounded on a large archive (docs/PERFORMANCE.md).

Revision ID: 52f1c0a7e3d9
Revises: 52dc9320bed2
Create Date: 2026-11-28 11:00:00

"""
from alembic import op
import sqlalchemy as sa

from community import search_ddl


revision = '52f1c0a7e3d9'
down_revision = '52dc9320bed2'
branch_labels = None
depends_on = None

# The same tokens as community.search.tags_for, for the rows already there.
BACKFILL = (
    "UPDATE search_documents SET tags = 'c' || community_id || ' k' || kind"
    " || CASE WHEN theme_id IS NULL THEN '' ELSE ' t' || theme_id END"
    " || CASE WHEN kind = 'approach' AND scope = 'library' THEN ' library' ELSE '' END"
)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in search_ddl.SQLITE_DROP:
            op.execute(statement)
    else:
        for statement in search_ddl.POSTGRES_DROP:
            op.execute(statement)
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tags', sa.String(length=120), server_default=sa.text("''"), nullable=False))
    op.execute(BACKFILL)
    for statement in search_ddl.statements(dialect):
        op.execute(statement)
    if dialect == "sqlite":
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in search_ddl.SQLITE_DROP:
            op.execute(statement)
    else:
        for statement in search_ddl.POSTGRES_DROP:
            op.execute(statement)
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_column('tags')
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_documents', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
            "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END"
        )
        op.execute(
            "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, title, body) "
            "VALUES ('delete', old.id, old.title, old.body); END"
        )
        op.execute(
            "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, title, body) "
            "VALUES ('delete', old.id, old.title, old.body); "
            "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END"
        )
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    else:
        op.execute(
            "ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('dutch', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('dutch', coalesce(body, '')), 'B')) STORED"
        )
        op.execute(search_ddl.POSTGRES_INDEX)
