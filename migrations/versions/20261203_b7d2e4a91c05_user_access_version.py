"""users.access_version: a counter bumped with every change to a user's access

Raised in the same transaction as a change to the account's status, platform role,
second factor, password, session token, sessions or memberships
(community/accounts/access_version.py); the login check reads it in its one statement.

Revision ID: b7d2e4a91c05
Revises: b732906997d8
Create Date: 2026-12-03 06:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d2e4a91c05'
down_revision = 'b732906997d8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('access_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('access_version')
