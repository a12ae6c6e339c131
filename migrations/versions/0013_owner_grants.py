"""owner role granted by an administrator

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

Written by hand. A prosjekteier is a leader in the directory, a member of the owner group
(LDAP_ROLE_GROUPS "prosjekteier"), or someone an administrator has granted it: one row
per person here. Granting and revoking are in the audit log.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'owner_grant',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('granted_by_id', sa.Integer(), nullable=True),
        sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_owner_grant_user_id_user'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['granted_by_id'], ['user.id'],
                                name=op.f('fk_owner_grant_granted_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_owner_grant')),
        sa.UniqueConstraint('user_id', name=op.f('uq_owner_grant_user_id')),
    )


def downgrade():
    op.drop_table('owner_grant')
