"""targets: the plan's figures per programme year

Revision ID: 0004_targets
Revises: 0003_casework
Create Date: 2026-11-28 12:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_targets'
down_revision = '0003_casework'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('targets',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('contacts', sa.Integer(), nullable=False),
    sa.Column('service_access_pct', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.CheckConstraint('contacts >= 0', name=op.f('ck_targets_contacts_not_negative')),
    sa.CheckConstraint('service_access_pct BETWEEN 1 AND 100', name=op.f('ck_targets_service_access_pct_range')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_targets_updated_by_users')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_targets'))
    )


def downgrade():
    op.drop_table('targets')
