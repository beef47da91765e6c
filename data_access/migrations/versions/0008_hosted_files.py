"""files and charts served by link from the store, so any process can serve them until they expire

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 09:00:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hosted_file',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token')
    )
    op.create_index('ix_hosted_file_expires_at', 'hosted_file', ['expires_at'])


def downgrade() -> None:
    op.drop_index('ix_hosted_file_expires_at', table_name='hosted_file')
    op.drop_table('hosted_file')
