"""the current observations by indicator and breakdown, and by place: the unique index of current
(not superseded) rows led by indicator then breakdown (an answer reads one indicator's values for
one breakdown), and a second led by place (the council's, its region's and England's values for
status, sweeps and reports) — so every read of observations is an indexed read

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 00:00:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

CURRENT = sa.text('superseded_at IS NULL')


def upgrade() -> None:
    op.drop_index('ix_observation_current', table_name='observation', sqlite_where=CURRENT, postgresql_where=CURRENT)
    op.create_index('ix_observation_current', 'observation', ['indicator_code', 'breakdown', 'geography_code', 'period'],
                    unique=True, sqlite_where=CURRENT, postgresql_where=CURRENT)
    op.create_index('ix_observation_current_place', 'observation',
                    ['geography_code', 'indicator_code', 'breakdown', 'period'],
                    sqlite_where=CURRENT, postgresql_where=CURRENT)


def downgrade() -> None:
    op.drop_index('ix_observation_current_place', table_name='observation')
    op.drop_index('ix_observation_current', table_name='observation')
    op.create_index('ix_observation_current', 'observation', ['indicator_code', 'geography_code', 'period', 'breakdown'],
                    unique=True, sqlite_where=CURRENT, postgresql_where=CURRENT)
