"""contacts: partial index of open follow-ups per ward, for the caseload

Revision ID: 0009_open_follow_ups
Revises: 0008_statistics_indexes
Create Date: 2026-11-28 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_open_follow_ups'
down_revision = '0008_statistics_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(
            'ix_contacts_open_follow_ups',
            ['ward_code', 'next_follow_up_on'],
            unique=False,
            postgresql_where=sa.text('follow_up_done IS false'),
            sqlite_where=sa.text('follow_up_done IS 0'),
        )


def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_open_follow_ups')
