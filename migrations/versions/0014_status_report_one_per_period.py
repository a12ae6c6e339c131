"""one status report per period and project

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

Written by hand. `period_key` is the period label with case, spacing and dashes
normalised (app.models.status_report.period_key); a unique index on (project_id,
period_key) makes a second report for the same period impossible, also when two are
saved at the same moment. Reports that already share a period keep their label; their
key gets " #<id>" so the index can be built.
"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def _key(label):
    # The same rule as app.models.status_report.period_key, frozen here as it was written.
    text = re.sub(r"\s*[-\u2010-\u2015]\s*", "-", (label or "").casefold())
    return " ".join(text.split())[:100]


def upgrade():
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_key', sa.String(length=100), nullable=False,
                                      server_default=''))
    report = sa.table('status_report', sa.column('id', sa.Integer), sa.column('project_id', sa.Integer),
                      sa.column('period_label', sa.String), sa.column('period_key', sa.String))
    connection = op.get_bind()
    seen = set()
    rows = connection.execute(sa.select(report.c.id, report.c.project_id, report.c.period_label)
                              .order_by(report.c.id)).all()
    for row_id, project_id, label in rows:
        key = _key(label)
        if (project_id, key) in seen:
            key = f"{key[:90]} #{row_id}"
        seen.add((project_id, key))
        connection.execute(report.update().where(report.c.id == row_id).values(period_key=key))
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.create_index('uq_status_report_project_period', ['project_id', 'period_key'],
                              unique=True)


def downgrade():
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.drop_index('uq_status_report_project_period')
        batch_op.drop_column('period_key')
