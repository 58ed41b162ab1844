"""exports: monthly export jobs made in the background, kept for their requester

Revision ID: 0010_export_jobs
Revises: 0009_open_follow_ups
Create Date: 2026-11-29 03:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_export_jobs'
down_revision = '0009_open_follow_ups'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'export_jobs',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('requested_by', sa.Integer(), nullable=False),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('threshold', sa.Integer(), nullable=False),
        sa.Column('fmt', sa.String(length=4), nullable=False),
        sa.Column('scope', sa.JSON(), nullable=True),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_export_jobs_requested_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs')),
    )
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_jobs_requested_by'), ['requested_by'], unique=False)


def downgrade():
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_jobs_requested_by'))
    op.drop_table('export_jobs')
