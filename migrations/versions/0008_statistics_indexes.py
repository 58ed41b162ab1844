"""statistics indexes: contacts by ward and date with the client, for index-only counts

Revision ID: 0008_statistics_indexes
Revises: 0007_privacy
Create Date: 2026-11-28 13:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_statistics_indexes'
down_revision = '0007_privacy'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_ward_date_client', ['ward_code', 'contact_date', 'client_id'], unique=False)


def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_ward_date_client')
