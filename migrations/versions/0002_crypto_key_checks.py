"""crypto: key check values

Revision ID: 0002_crypto
Revises: 0001
Create Date: 2026-11-28 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_crypto'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('crypto_key_checks',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('check_value', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('kind', 'key_id', name=op.f('pk_crypto_key_checks'))
    )


def downgrade():
    op.drop_table('crypto_key_checks')
