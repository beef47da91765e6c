"""published series: an observation keeps why a value is missing (suppressed, not applicable…),
its confidence interval, count and denominator; a dictionary entry can name the published series
it is (source indicator and measure)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:30:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('observation') as batch:
        batch.add_column(sa.Column('missing_reason', sa.Text(), nullable=True))
        batch.add_column(sa.Column('lower_ci', sa.Float(), nullable=True))
        batch.add_column(sa.Column('upper_ci', sa.Float(), nullable=True))
        batch.add_column(sa.Column('count', sa.Float(), nullable=True))
        batch.add_column(sa.Column('denominator', sa.Float(), nullable=True))
    with op.batch_alter_table('indicator') as batch:
        batch.add_column(sa.Column('source_indicator', sa.Text(), nullable=True))
        batch.add_column(sa.Column('source_measure', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('indicator') as batch:
        batch.drop_column('source_measure')
        batch.drop_column('source_indicator')
    with op.batch_alter_table('observation') as batch:
        for name in ('denominator', 'count', 'upper_ci', 'lower_ci', 'missing_reason'):
            batch.drop_column(name)
