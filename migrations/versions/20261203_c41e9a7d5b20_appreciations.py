"""appreciations: a member's "waardeer" on a contribution, one per member per contribution

Revision ID: c41e9a7d5b20
Revises: c4e8a1f2d3b6
Create Date: 2026-12-03 08:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c41e9a7d5b20'
down_revision = 'c4e8a1f2d3b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('appreciations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_appreciations_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_appreciations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appreciations')),
    sa.UniqueConstraint('contribution_id', 'user_id', name=op.f('uq_appreciations_contribution_id_user_id'))
    )
    with op.batch_alter_table('appreciations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appreciations_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('appreciations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appreciations_user_id'))
    op.drop_table('appreciations')
