"""activities: programme activities and their reach targets

Revision ID: 0005_activities
Revises: 0004_targets
Create Date: 2026-11-28 12:34:46.471564

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_activities'
down_revision = '0004_targets'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activities',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('activity_date', sa.Date(), nullable=False),
    sa.Column('ward_code', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('audience', sa.String(length=32), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('participants >= 0 AND participants <= 20000', name=op.f('ck_activities_participants')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_activities_created_by_users')),
    sa.ForeignKeyConstraint(['ward_code'], ['wards.code'], name=op.f('fk_activities_ward_code_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_activity_date'), ['activity_date'], unique=False)
        batch_op.create_index('ix_activities_ward_date', ['ward_code', 'activity_date'], unique=False)

    op.create_table('activity_targets',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('measure', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_activity_targets_updated_by_users')),
    sa.PrimaryKeyConstraint('year', 'measure', name=op.f('pk_activity_targets'))
    )


def downgrade():
    op.drop_table('activity_targets')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_ward_date')
        batch_op.drop_index(batch_op.f('ix_activities_activity_date'))

    op.drop_table('activities')
