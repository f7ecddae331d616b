"""outbox_messages.list_unsubscribe: the one-click unsubscribe address of digest and notification mail

Revision ID: c5a7d2e9f1b3
Revises: c41e9a7d5b20
Create Date: 2026-12-03 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c5a7d2e9f1b3'
down_revision = 'c41e9a7d5b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('list_unsubscribe')
