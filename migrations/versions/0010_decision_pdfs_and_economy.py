"""decision PDFs, the economy tab, and the plan's remaining sections

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

Written by hand.
- decision_pdf: the PDF/A files frozen at each gate decision (beslutningsprotokoll, and at
  BP2, BP3 and BP5 the decision document), with their SHA-256.
- budget_line, funding_source: the budget per year (investment and running costs) and the
  financing, grants included.
- project_plan: alternatives, reporting, change control, and the sluttrapport's goals
  reached, lessons learned and handover to the line.
- status_report.spent_to_date_nok: money spent up to the report's period.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

PLAN_TEXTS = ('alternatives', 'reporting', 'change_control', 'goals_reached', 'lessons_learned', 'handover')


def upgrade():
    op.create_table(
        'decision_pdf',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=False),
        sa.Column('gate', sa.String(length=4), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['decision_id'], ['gate_decision.id'],
                                name=op.f('fk_decision_pdf_decision_id_gate_decision'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'],
                                name=op.f('fk_decision_pdf_project_id_project'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_pdf')),
        sa.UniqueConstraint('decision_id', 'kind', name='uq_decision_pdf_decision_kind'),
    )
    op.create_index(op.f('ix_decision_pdf_project_id'), 'decision_pdf', ['project_id'], unique=False)
    op.create_index(op.f('ix_decision_pdf_decision_id'), 'decision_pdf', ['decision_id'], unique=False)

    op.create_table(
        'budget_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('investment_nok', sa.BigInteger(), nullable=False),
        sa.Column('operating_nok', sa.BigInteger(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'],
                                name=op.f('fk_budget_line_project_id_project'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line')),
        sa.UniqueConstraint('project_id', 'year', name='uq_budget_line_project_year'),
    )
    op.create_index(op.f('ix_budget_line_project_id'), 'budget_line', ['project_id'], unique=False)

    op.create_table(
        'funding_source',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('amount_nok', sa.BigInteger(), nullable=True),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'],
                                name=op.f('fk_funding_source_project_id_project'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_source')),
    )
    op.create_index(op.f('ix_funding_source_project_id'), 'funding_source', ['project_id'], unique=False)

    with op.batch_alter_table('project_plan', schema=None) as batch_op:
        for name in PLAN_TEXTS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spent_to_date_nok', sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.drop_column('spent_to_date_nok')
    with op.batch_alter_table('project_plan', schema=None) as batch_op:
        for name in reversed(PLAN_TEXTS):
            batch_op.drop_column(name)
    op.drop_index(op.f('ix_funding_source_project_id'), table_name='funding_source')
    op.drop_table('funding_source')
    op.drop_index(op.f('ix_budget_line_project_id'), table_name='budget_line')
    op.drop_table('budget_line')
    op.drop_index(op.f('ix_decision_pdf_decision_id'), table_name='decision_pdf')
    op.drop_index(op.f('ix_decision_pdf_project_id'), table_name='decision_pdf')
    op.drop_table('decision_pdf')
