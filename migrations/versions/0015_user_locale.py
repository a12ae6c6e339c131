"""the language each person chose

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04

Written by hand. `user.locale` is nb, nn or en once the person has chosen on the profile
page or in the header's language menu; NULL (everyone until then) lets the browser's
Accept-Language and the kommune's DEFAULT_LOCALE decide.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('locale')
