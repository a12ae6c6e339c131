"""risk: why the score after action is higher than before

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04

Written by hand. A risk whose score after the action is above the score before needs a
comment (issue 14); existing risks start with an empty one.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("risk") as batch:
        batch.add_column(sa.Column("after_comment", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("risk") as batch:
        batch.drop_column("after_comment")
