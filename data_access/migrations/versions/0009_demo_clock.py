"""the web demo's clock, kept in the store for the console to follow

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 09:10:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('demo_clock',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('offset_seconds', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    op.drop_table('demo_clock')
