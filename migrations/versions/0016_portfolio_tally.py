"""portfolio tally: the panels' counts stored per stage, unit and restricted flag

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04

Written by hand (issue 12). The portfolio's panels (projects per stage, the risk heat
map, benefits by progress) read these counts instead of every project, risk and benefit
on every view; the app keeps them exact on every write (app/models/portfolio_tally.py).
This migration counts the rows already there, with the benefit categories as migration
0011 stored them (benefit.progress_category, kept up to date by the app since).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

_GROUP = "p.stage, coalesce(p.unit, ''), p.restricted"


def upgrade():
    op.create_table(
        'portfolio_tally',
        sa.Column('panel', sa.String(length=8), nullable=False),
        sa.Column('stage', sa.String(length=20), nullable=False),
        sa.Column('unit', sa.String(length=200), nullable=False),
        sa.Column('restricted', sa.Boolean(), nullable=False),
        sa.Column('bucket', sa.String(length=12), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('panel', 'stage', 'unit', 'restricted', 'bucket', name=op.f('pk_portfolio_tally')),
    )
    columns = "panel, stage, unit, restricted, bucket, count"
    op.execute(f"INSERT INTO portfolio_tally ({columns}) SELECT 'stage', {_GROUP}, '', count(*) "
               f"FROM project p GROUP BY {_GROUP}")
    op.execute(f"INSERT INTO portfolio_tally ({columns}) SELECT 'risk', {_GROUP}, "
               f"CAST(r.probability AS VARCHAR(2)) || 'x' || CAST(r.consequence AS VARCHAR(2)), count(*) "
               f"FROM risk r JOIN project p ON p.id = r.project_id WHERE r.status = 'open' AND r.kind = 'risk' "
               f"GROUP BY {_GROUP}, r.probability, r.consequence")
    op.execute(f"INSERT INTO portfolio_tally ({columns}) SELECT 'benefit', {_GROUP}, b.progress_category, count(*) "
               f"FROM benefit b JOIN project p ON p.id = b.project_id GROUP BY {_GROUP}, b.progress_category")


def downgrade():
    op.drop_table('portfolio_tally')
