"""the observation indexes an import pays for, only those a read or an undo uses: drop the index
on (indicator_code, period_end) over every row — no query reads by it, every read of values goes
through the two indexes of current rows (0013), and each imported row cost its B-tree work — and
index the superseded rows by the row that replaced them (`superseded_by`, only where it is set),
which an undo and a return file's preview look up; without it each was a pass over the whole table

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 06:40:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

REPLACED = sa.text('superseded_by IS NOT NULL')


def upgrade() -> None:
    op.drop_index('ix_observation_indicator_end', table_name='observation')
    op.create_index('ix_observation_superseded_by', 'observation', ['superseded_by'],
                    sqlite_where=REPLACED, postgresql_where=REPLACED)


def downgrade() -> None:
    op.drop_index('ix_observation_superseded_by', table_name='observation')
    op.create_index('ix_observation_indicator_end', 'observation', ['indicator_code', 'period_end'])
