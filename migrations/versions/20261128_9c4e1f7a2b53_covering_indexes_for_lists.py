"""covering indexes for the case list, the library and member organisations

Found by the load benchmark (docs/PERFORMANCE.md): a community's case count, the
approach library (its page, count and organisation filter) and the member
organisations read hundreds to thousands of wide rows per page; these indexes answer
them from the index alone.

Revision ID: 9c4e1f7a2b53
Revises: 7b3e9d2c4a10
Create Date: 2026-11-28 13:40:00

"""
from alembic import op


revision = '9c4e1f7a2b53'
down_revision = '7b3e9d2c4a10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_community_activity')
        batch_op.create_index(
            'ix_cases_listing',
            ['community_id', 'last_activity_at', 'id', 'phase', 'author_id', 'hidden_at'],
            unique=False,
        )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_community_status')
        batch_op.create_index(
            'ix_memberships_community_status_user',
            ['community_id', 'status', 'user_id'],
            unique=False,
        )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_id_organisation', ['id', 'organisation_id'], unique=False)
    with op.batch_alter_table('approaches', schema=None) as batch_op:
        batch_op.create_index(
            'ix_approaches_listing',
            [
                'updated_at',
                'id',
                'scope',
                'library_approved_at',
                'community_id',
                'organisation_id',
            ],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('approaches', schema=None) as batch_op:
        batch_op.drop_index('ix_approaches_listing')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_id_organisation')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_community_status_user')
        batch_op.create_index(
            'ix_memberships_community_status', ['community_id', 'status'], unique=False
        )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_listing')
        batch_op.create_index(
            'ix_cases_community_activity', ['community_id', 'last_activity_at'], unique=False
        )
