"""indexes for hidden cases and the notification centre

Found by the load benchmark (docs/PERFORMANCE.md): every page counts unread
notifications, leaving out those about hidden cases, which scanned all cases; the
notification centre sorted all of a user's notifications.

Revision ID: 7b3e9d2c4a10
Revises: 52f1c0a7e3d9
Create Date: 2026-11-28 11:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7b3e9d2c4a10'
down_revision = '52f1c0a7e3d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(
            'ix_cases_hidden',
            ['hidden_at'],
            unique=False,
            sqlite_where=sa.text('hidden_at IS NOT NULL'),
            postgresql_where=sa.text('hidden_at IS NOT NULL'),
        )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(
            'ix_notifications_recipient_created', ['recipient_id', 'created_at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_recipient_created')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_hidden')
