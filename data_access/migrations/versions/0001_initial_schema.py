"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 02:37:41.092907
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_key', sa.Text(), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('comparator_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('conversation_reference',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'key')
    )
    op.create_table('delegate',
    sa.Column('owner_email', sa.String(length=254), nullable=False),
    sa.Column('delegate_email', sa.String(length=254), nullable=False),
    sa.PrimaryKeyConstraint('owner_email', 'delegate_email')
    )
    op.create_table('geography',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('parent_code', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['geography.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('geography', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_geography_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_geography_parent_code'), ['parent_code'], unique=False)

    op.create_table('indicator',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('aliases', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('polarity', sa.String(length=20), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=True),
    sa.Column('service', sa.String(length=200), nullable=True),
    sa.Column('portfolio', sa.String(length=200), nullable=True),
    sa.Column('oba_category', sa.String(length=40), nullable=True),
    sa.Column('owner_email', sa.String(length=254), nullable=True),
    sa.Column('decimals', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('geography_levels', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('measure', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('person',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.String(length=300), nullable=False),
    sa.Column('ward_code', sa.String(length=16), nullable=True),
    sa.Column('portfolio', sa.String(length=200), nullable=True),
    sa.Column('service', sa.String(length=200), nullable=True),
    sa.Column('manager_email', sa.String(length=254), nullable=True),
    sa.Column('slack_user_id', sa.String(length=64), nullable=True),
    sa.Column('teams_user_id', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('email'),
    sa.UniqueConstraint('slack_user_id'),
    sa.UniqueConstraint('teams_user_id')
    )
    op.create_table('reporting_deadline',
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('milestone', sa.String(length=100), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('frequency', 'period', 'milestone')
    )
    op.create_table('comparator_member',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('geography_code', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['geography_code'], ['geography.code'], ),
    sa.ForeignKeyConstraint(['group_id'], ['comparator_group.id'], ),
    sa.PrimaryKeyConstraint('group_id', 'geography_code')
    )
    op.create_table('observation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('geography_code', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('period_kind', sa.String(length=30), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('breakdown', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=254), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('commentary', sa.Text(), nullable=True),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['geography_code'], ['geography.code'], ),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicator.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.create_index('ix_observation_current', ['indicator_code', 'geography_code', 'period', 'breakdown'], unique=True, sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))
        batch_op.create_index('ix_observation_indicator_end', ['indicator_code', 'period_end'], unique=False)

    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('geography_code', sa.String(length=16), nullable=False),
    sa.Column('financial_year', sa.String(length=10), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('target_low', sa.Float(), nullable=True),
    sa.Column('target_high', sa.Float(), nullable=True),
    sa.Column('amber_tolerance', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['geography_code'], ['geography.code'], ),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicator.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('indicator_code', 'geography_code', 'financial_year')
    )


def downgrade() -> None:
    op.drop_table('target')
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_index('ix_observation_indicator_end')
        batch_op.drop_index('ix_observation_current', sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))

    op.drop_table('observation')
    op.drop_table('comparator_member')
    op.drop_table('reporting_deadline')
    op.drop_table('person')
    op.drop_table('indicator')
    with op.batch_alter_table('geography', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_geography_parent_code'))
        batch_op.drop_index(batch_op.f('ix_geography_level'))

    op.drop_table('geography')
    op.drop_table('delegate')
    op.drop_table('conversation_reference')
    op.drop_table('comparator_group')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
