"""everyday names of places (geography.aliases) and forecasts kept apart from observations

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 20:30:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('geography') as batch:
        batch.add_column(sa.Column('aliases', sa.Text(), nullable=False, server_default=''))
    op.create_table('forecast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('geography_code', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('breakdown', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=254), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicator.code']),
    sa.ForeignKeyConstraint(['geography_code'], ['geography.code']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('indicator_code', 'geography_code', 'period', 'breakdown')
    )


def downgrade() -> None:
    op.drop_table('forecast')
    with op.batch_alter_table('geography') as batch:
        batch.drop_column('aliases')
