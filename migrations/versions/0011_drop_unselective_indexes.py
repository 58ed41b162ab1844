"""indexes: drop ix_needs_eligible and ix_referrals_status, which misled SQLite's planner

SQLite keeps no statistics until ANALYZE runs, and then treats every index as selective: for each client
the indicator's correlated lookups went through all eligible needs (ix_needs_eligible) and all received
referrals (ix_referrals_status) instead of the client's own rows. The city dashboard at 20,000 clients
took 331 s; without these indexes 1 s. No query needs them: every filter on these columns comes with a
client, ward or date that has a better index.

Revision ID: 0011_drop_unselective_indexes
Revises: 0010_export_jobs
Create Date: 2026-11-29 04:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011_drop_unselective_indexes'
down_revision = '0010_export_jobs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_index('ix_needs_eligible')
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_status')


def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index('ix_referrals_status', ['status'], unique=False)
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.create_index('ix_needs_eligible', ['eligible'], unique=False)
