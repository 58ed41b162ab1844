"""indexes: drop ix_contacts_ward_date, a prefix of ix_contacts_ward_date_client

Migration 0008 added (ward_code, contact_date, client_id) so that the statistics count contacts from the
index alone; every query that used (ward_code, contact_date) can use it the same way. The narrower index
only cost a write on every contact saved.

Revision ID: 0012_drop_contacts_ward_date
Revises: 0011_drop_unselective_indexes
Create Date: 2026-11-29 07:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012_drop_contacts_ward_date'
down_revision = '0011_drop_unselective_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_ward_date')


def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_ward_date', ['ward_code', 'contact_date'], unique=False)
