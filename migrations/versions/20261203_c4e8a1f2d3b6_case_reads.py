"""case_reads: when a member last opened a case (the home page's unread counts)

Revision ID: c4e8a1f2d3b6
Revises: c3e8f1a2b4d6
Create Date: 2026-12-03 08:45:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'c4e8a1f2d3b6'
down_revision = "c3e8f1a2b4d6"
branch_labels = None
depends_on = None

def upgrade():
    op.create_table(
        'case_reads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['case_id'], ['cases.id'], name=op.f('fk_case_reads_case_id_cases'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_case_reads_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_reads')),
        sa.UniqueConstraint('user_id', 'case_id', name=op.f('uq_case_reads_user_id_case_id')),
    )
    with op.batch_alter_table('case_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_reads_case_id'), ['case_id'], unique=False)

def downgrade():
    with op.batch_alter_table('case_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_reads_case_id'))
    op.drop_table('case_reads')
