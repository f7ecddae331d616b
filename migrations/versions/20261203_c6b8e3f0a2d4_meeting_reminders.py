"""meetings.reminder_sent_at: the reminder the day before, sent once per time of the meeting

Revision ID: c6b8e3f0a2d4
Revises: c5a7d2e9f1b3
Create Date: 2026-12-03 19:00:00

"""
from alembic import op
import sqlalchemy as sa

from community.models.base import UTCDateTime


revision = 'c6b8e3f0a2d4'
down_revision = 'c5a7d2e9f1b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_sent_at', UTCDateTime(), nullable=True))
        batch_op.create_index('ix_meetings_reminder_due', ['reminder_sent_at', 'starts_at'], unique=False)


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_reminder_due')
        batch_op.drop_column('reminder_sent_at')
