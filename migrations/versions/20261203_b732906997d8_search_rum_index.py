"""search: a RUM index on the full-text vector, where the rum extension is installed

PostgreSQL only, and only when a superuser has run CREATE EXTENSION rum in the database
(the application's role cannot: RUM is not a trusted extension) and SEARCH_INDEX is auto
or rum. Otherwise nothing changes and search reads the GIN index; `flask search-reindex
--index-only` makes (or drops) the RUM index later. See community.search_ddl and
docs/PERFORMANCE.md.

Revision ID: b732906997d8
Revises: 9c4e1f7a2b53
Create Date: 2026-12-03 06:30:00

"""
from alembic import op
from flask import current_app

from community import search_ddl


revision = 'b732906997d8'
down_revision = '9c4e1f7a2b53'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql' and search_ddl.wanted(current_app.config):
        search_ddl.create_rum_index(op.get_bind())


def downgrade():
    search_ddl.drop_rum_index(op.get_bind())
