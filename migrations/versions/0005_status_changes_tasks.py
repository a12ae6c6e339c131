"""status reports, change requests, technical tasks and privacy assessments

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

Written by hand (the other plan tables are created by 0003 and 0004).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'status_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('period_label', sa.String(length=100), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=True),
        sa.Column('period_end', sa.Date(), nullable=True),
        sa.Column('progress_status', sa.String(length=6), nullable=True),
        sa.Column('progress_comment', sa.Text(), nullable=False),
        sa.Column('cost_status', sa.String(length=6), nullable=True),
        sa.Column('cost_comment', sa.Text(), nullable=False),
        sa.Column('quality_status', sa.String(length=6), nullable=True),
        sa.Column('quality_comment', sa.Text(), nullable=False),
        sa.Column('risk_status', sa.String(length=6), nullable=True),
        sa.Column('risk_comment', sa.Text(), nullable=False),
        sa.Column('benefits_status', sa.String(length=6), nullable=True),
        sa.Column('benefits_comment', sa.Text(), nullable=False),
        sa.Column('overall_comment', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_status_report_author_id_user')),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_status_report_project_id_project'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['published_by_id'], ['user.id'],
                                name=op.f('fk_status_report_published_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_status_report')),
    )
    op.create_index(op.f('ix_status_report_project_id'), 'status_report', ['project_id'], unique=False)
    op.create_index(op.f('ix_status_report_status'), 'status_report', ['status'], unique=False)
    op.create_index('ix_status_report_project_created', 'status_report', ['project_id', 'created_at'],
                    unique=False)

    op.create_table(
        'change_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('scope_effect', sa.Text(), nullable=False),
        sa.Column('time_effect', sa.Text(), nullable=False),
        sa.Column('cost_effect', sa.Integer(), nullable=True),
        sa.Column('benefits_effect', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), nullable=False),
        sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_comment', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_change_request_decided_by_id_user')),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_change_request_project_id_project'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'],
                                name=op.f('fk_change_request_proposed_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change_request')),
    )
    op.create_index(op.f('ix_change_request_project_id'), 'change_request', ['project_id'], unique=False)
    op.create_index('ix_change_request_project_status', 'change_request', ['project_id', 'status'], unique=False)

    op.create_table(
        'technical_task',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('assignee_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], name=op.f('fk_technical_task_assignee_id_user')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_technical_task_created_by_id_user')),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_technical_task_project_id_project'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_technical_task')),
    )
    op.create_index(op.f('ix_technical_task_project_id'), 'technical_task', ['project_id'], unique=False)
    op.create_index(op.f('ix_technical_task_assignee_id'), 'technical_task', ['assignee_id'], unique=False)
    op.create_index('ix_technical_task_status_due', 'technical_task', ['status', 'due_date'], unique=False)

    op.create_table(
        'privacy_assessment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('dpia_status', sa.String(length=16), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'],
                                name=op.f('fk_privacy_assessment_project_id_project'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'],
                                name=op.f('fk_privacy_assessment_updated_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_assessment')),
        sa.UniqueConstraint('project_id', name=op.f('uq_privacy_assessment_project_id')),
    )
    op.create_index(op.f('ix_privacy_assessment_dpia_status'), 'privacy_assessment', ['dpia_status'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_privacy_assessment_dpia_status'), table_name='privacy_assessment')
    op.drop_table('privacy_assessment')

    op.drop_index('ix_technical_task_status_due', table_name='technical_task')
    op.drop_index(op.f('ix_technical_task_assignee_id'), table_name='technical_task')
    op.drop_index(op.f('ix_technical_task_project_id'), table_name='technical_task')
    op.drop_table('technical_task')

    op.drop_index('ix_change_request_project_status', table_name='change_request')
    op.drop_index(op.f('ix_change_request_project_id'), table_name='change_request')
    op.drop_table('change_request')

    op.drop_index('ix_status_report_project_created', table_name='status_report')
    op.drop_index(op.f('ix_status_report_status'), table_name='status_report')
    op.drop_index(op.f('ix_status_report_project_id'), table_name='status_report')
    op.drop_table('status_report')
