"""sign-in limits that count only failures; people who left the directory

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04

Written by hand.
- login_attempt: `succeeded` (every attempt was kept) becomes `state` ("pending" while
  the directory is asked, "failed" after); successful attempts are no longer stored.
- user: `active` (false once `flask directory sync` finds the person gone or disabled),
  `left_at` (when that was noticed) and `synced_at` (last refresh from the directory).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM login_attempt WHERE succeeded")
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=10), nullable=False,
                                      server_default='failed'))
        batch_op.drop_column('succeeded')
        batch_op.create_index('ix_login_attempt_username_at', ['username', 'at'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('left_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('synced_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('synced_at')
        batch_op.drop_column('left_at')
        batch_op.drop_column('active')

    op.execute("DELETE FROM login_attempt WHERE state = 'pending'")
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_username_at')
        batch_op.add_column(sa.Column('succeeded', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.drop_column('state')
