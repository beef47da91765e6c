"""the inbox: chat events acknowledged and not yet answered, held under a lease; the mark of a
store the demo made

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 23:55:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inbox_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('held_by', sa.String(length=120), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key'),
    )
    op.create_index('ix_inbox_event_waiting', 'inbox_event', ['answered_at', 'lease_until'], unique=False)
    op.create_table('demo_store',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('demo_store')
    op.drop_index('ix_inbox_event_waiting', table_name='inbox_event')
    op.drop_table('inbox_event')
