"""current observations by place: an index of the current (not superseded) rows led by the place,
so the reads of a council's, its region's and England's values (status, sweeps, reports) are
indexed reads, as the reads of an indicator's values already are (ix_observation_current)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 00:00:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_observation_current_place', 'observation',
                    ['geography_code', 'indicator_code', 'breakdown', 'period'],
                    sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_observation_current_place', table_name='observation')
