"""the project plan: texts, goals, links to related projects, milestones

Revision ID: 0003_plan_core
Revises: 0002
Create Date: 2026-11-22

Written by hand (issue 4: the roles, plan and milestones tabs). Roles need no table of
their own: owner and manager are columns on project, the other roles are project_member.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_plan_core'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'project_plan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('background', sa.Text(), nullable=False),
        sa.Column('current_situation', sa.Text(), nullable=False),
        sa.Column('zero_alternative', sa.Text(), nullable=False),
        sa.Column('purpose', sa.Text(), nullable=False),
        sa.Column('scope_limits', sa.Text(), nullable=False),
        sa.Column('interfaces', sa.Text(), nullable=False),
        sa.Column('user_involvement', sa.Text(), nullable=False),
        sa.Column('archive_ref', sa.String(length=20), nullable=False),
        sa.Column('budget_nok', sa.BigInteger(), nullable=True),
        sa.Column('financing', sa.Text(), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=True),
        sa.Column('end_date', sa.Date(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE',
                                name=op.f('fk_project_plan_project_id_project')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'],
                                name=op.f('fk_project_plan_updated_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_project_plan')),
        sa.UniqueConstraint('project_id', name=op.f('uq_project_plan_project_id')),
    )

    op.create_table(
        'plan_goal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE',
                                name=op.f('fk_plan_goal_project_id_project')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_goal')),
    )
    op.create_index(op.f('ix_plan_goal_project_id'), 'plan_goal', ['project_id'], unique=False)

    op.create_table(
        'plan_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('related_project_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE',
                                name=op.f('fk_plan_link_project_id_project')),
        sa.ForeignKeyConstraint(['related_project_id'], ['project.id'], ondelete='CASCADE',
                                name=op.f('fk_plan_link_related_project_id_project')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_link')),
        sa.UniqueConstraint('project_id', 'related_project_id', name='uq_plan_link_project_related'),
    )
    op.create_index(op.f('ix_plan_link_project_id'), 'plan_link', ['project_id'], unique=False)
    op.create_index(op.f('ix_plan_link_related_project_id'), 'plan_link', ['related_project_id'],
                    unique=False)

    op.create_table(
        'milestone',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=10), nullable=False),
        sa.Column('description', sa.String(length=500), nullable=False),
        sa.Column('responsible_id', sa.Integer(), nullable=True),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('done_date', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE',
                                name=op.f('fk_milestone_project_id_project')),
        sa.ForeignKeyConstraint(['responsible_id'], ['user.id'],
                                name=op.f('fk_milestone_responsible_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone')),
        sa.UniqueConstraint('project_id', 'number', name='uq_milestone_project_number'),
    )
    op.create_index(op.f('ix_milestone_project_id'), 'milestone', ['project_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_milestone_project_id'), table_name='milestone')
    op.drop_table('milestone')
    op.drop_index(op.f('ix_plan_link_related_project_id'), table_name='plan_link')
    op.drop_index(op.f('ix_plan_link_project_id'), table_name='plan_link')
    op.drop_table('plan_link')
    op.drop_index(op.f('ix_plan_goal_project_id'), table_name='plan_goal')
    op.drop_table('plan_goal')
    op.drop_table('project_plan')
