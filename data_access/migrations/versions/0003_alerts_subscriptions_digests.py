"""alerts, subscriptions and digests: recorded statuses and their change log, subscriptions, the
"worse than England" rules, and deliveries that rewrite an earlier message

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 03:32:42.399625
"""
import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert_rule',
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('worse_than_england_by', sa.Float(), nullable=False),
    sa.Column('set_by', sa.String(length=254), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('indicator_code')
    )
    op.create_table('alert_status',
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('geography_code', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('observation_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('rule', 'indicator_code', 'geography_code')
    )
    op.create_table('status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('geography_code', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('old_status', sa.String(length=20), nullable=True),
    sa.Column('new_status', sa.String(length=20), nullable=True),
    sa.Column('old_period', sa.String(length=40), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_change_at'), ['at'], unique=False)

    op.create_table('subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email', 'kind', 'target')
    )
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_email'), ['email'], unique=False)

    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updates_delivery_id', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_column('updates_delivery_id')

    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_email'))

    op.drop_table('subscription')
    with op.batch_alter_table('status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_change_at'))

    op.drop_table('status_change')
    op.drop_table('alert_status')
    op.drop_table('alert_rule')
