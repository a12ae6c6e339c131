"""outbox: a claim lease, so that two servers never send the same mail

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Written by hand. A sender that takes a mail sets `claimed_until`; until then no other
sender (another gunicorn instance, cron's `flask mail send`) touches it. A sender that
died mid-send leaves a lease that runs out, and the mail is tried again.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_mail') as batch:
        batch.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_mail') as batch:
        batch.drop_column('claimed_until')
