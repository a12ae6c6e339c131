"""portfolio: programmes, priority scores, saved views, and indexes for the overview

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Written by hand (issue 5). The indexes on status_report, milestone, benefit_measurement
and risk serve the portfolio overview's latest-per-project lookups: each
lookup is one seek, and the benefit one is covering (it holds the value too).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'programme',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_programme_owner_id_user')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_programme_created_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme')),
        sa.UniqueConstraint('name', name=op.f('uq_programme_name')),
    )
    op.create_index(op.f('ix_programme_owner_id'), 'programme', ['owner_id'], unique=False)

    op.create_table(
        'programme_project',
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE',
                                name=op.f('fk_programme_project_project_id_project')),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ondelete='CASCADE',
                                name=op.f('fk_programme_project_programme_id_programme')),
        sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_programme_project_added_by_id_user')),
        sa.PrimaryKeyConstraint('project_id', name=op.f('pk_programme_project')),
    )
    op.create_index(op.f('ix_programme_project_programme_id'), 'programme_project', ['programme_id'],
                    unique=False)

    op.create_table(
        'priority_score',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('strategic_value', sa.Integer(), nullable=False),
        sa.Column('quality_benefit', sa.Integer(), nullable=False),
        sa.Column('economic_benefit', sa.Integer(), nullable=False),
        sa.Column('operational_need', sa.Integer(), nullable=False),
        sa.Column('risk', sa.Integer(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('scored_by_id', sa.Integer(), nullable=False),
        sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE',
                                name=op.f('fk_priority_score_project_id_project')),
        sa.ForeignKeyConstraint(['scored_by_id'], ['user.id'], name=op.f('fk_priority_score_scored_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_score')),
        sa.UniqueConstraint('project_id', name=op.f('uq_priority_score_project_id')),
    )

    op.create_table(
        'saved_view',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('query', sa.String(length=2000), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE',
                                name=op.f('fk_saved_view_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_view')),
        sa.UniqueConstraint('user_id', 'name', name='uq_saved_view_user_name'),
    )
    op.create_index(op.f('ix_saved_view_user_id'), 'saved_view', ['user_id'], unique=False)

    # The overview's latest-per-project lookups.
    op.create_index('ix_status_report_latest_published', 'status_report',
                    ['project_id', 'status', 'published_at', 'id'], unique=False)
    op.create_index('ix_milestone_project_open_due', 'milestone', ['project_id', 'done_date', 'due_date'],
                    unique=False)
    op.create_index('ix_benefit_measurement_latest', 'benefit_measurement',
                    ['benefit_id', 'measured_on', 'id', 'value'], unique=False)
    op.create_index('ix_risk_open_matrix', 'risk', ['status', 'kind', 'project_id', 'probability', 'consequence'],
                    unique=False)


def downgrade():
    op.drop_index('ix_risk_open_matrix', table_name='risk')
    op.drop_index('ix_benefit_measurement_latest', table_name='benefit_measurement')
    op.drop_index('ix_milestone_project_open_due', table_name='milestone')
    op.drop_index('ix_status_report_latest_published', table_name='status_report')
    op.drop_index(op.f('ix_saved_view_user_id'), table_name='saved_view')
    op.drop_table('saved_view')
    op.drop_table('priority_score')
    op.drop_index(op.f('ix_programme_project_programme_id'), table_name='programme_project')
    op.drop_table('programme_project')
    op.drop_index(op.f('ix_programme_owner_id'), table_name='programme')
    op.drop_table('programme')
