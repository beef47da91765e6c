"""conversation state and delivered-once claims: the last turn of each conversation (so any process
can continue it) and the keys of deliveries already claimed by a process (so each is answered once)

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 09:20:00.000000
"""
import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conversation_turn',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('conversation', sa.String(length=300), nullable=False),
    sa.Column('person', sa.String(length=254), nullable=False),
    sa.Column('turn', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'conversation', 'person')
    )
    with op.batch_alter_table('conversation_turn', schema=None) as batch_op:
        batch_op.create_index('ix_conversation_turn_updated_at', ['updated_at'], unique=False)
    op.create_table('delivery_claim',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('delivery_claim', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_claim_claimed_at', ['claimed_at'], unique=False)


def downgrade() -> None:
    op.drop_table('delivery_claim')
    op.drop_table('conversation_turn')
