"""benefits realisation plan, risks and ITPOSMO, stakeholders and communication plan

Revision ID: 0004
Revises: 0003_plan_core
Create Date: 2026-11-22

Written by hand (issue 4: the benefits, risks and stakeholders tabs). New tables only;
nothing existing is altered.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003_plan_core'
branch_labels = None
depends_on = None


def _timestamps():
    return [
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    ]


def _project_fk(table):
    return sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE',
                                   name=op.f(f'fk_{table}_project_id_project'))


def upgrade():
    # --- benefits realisation plan -------------------------------------------------
    op.create_table(
        'benefit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('indicator', sa.String(length=300), nullable=False),
        sa.Column('unit', sa.String(length=60), nullable=False),
        sa.Column('baseline', sa.Float(), nullable=True),
        sa.Column('baseline_measured_on', sa.Date(), nullable=True),
        sa.Column('target', sa.Float(), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('measures', sa.Text(), nullable=False),
        *_timestamps(),
        _project_fk('benefit'),
        sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_benefit_owner_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit')),
    )
    op.create_index(op.f('ix_benefit_project_id'), 'benefit', ['project_id'], unique=False)
    op.create_index(op.f('ix_benefit_owner_id'), 'benefit', ['owner_id'], unique=False)

    op.create_table(
        'benefit_measurement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('benefit_id', sa.Integer(), nullable=False),
        sa.Column('measured_on', sa.Date(), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['benefit_id'], ['benefit.id'], ondelete='CASCADE',
                                name=op.f('fk_benefit_measurement_benefit_id_benefit')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'],
                                name=op.f('fk_benefit_measurement_recorded_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_measurement')),
    )
    op.create_index(op.f('ix_benefit_measurement_benefit_id'), 'benefit_measurement', ['benefit_id'],
                    unique=False)

    op.create_table(
        'benefits_plan',
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('plan_version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        _project_fk('benefits_plan'),
        sa.PrimaryKeyConstraint('project_id', name=op.f('pk_benefits_plan')),
    )

    op.create_table(
        'benefits_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('plan_version', sa.Integer(), nullable=False),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=False),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
        _project_fk('benefits_review'),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'],
                                name=op.f('fk_benefits_review_reviewed_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_benefits_review')),
    )
    op.create_index(op.f('ix_benefits_review_project_id'), 'benefits_review', ['project_id'], unique=False)

    op.create_table(
        'benefits_agreement_ack',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('plan_version', sa.Integer(), nullable=False),
        sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=False),
        _project_fk('benefits_agreement_ack'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'],
                                name=op.f('fk_benefits_agreement_ack_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_benefits_agreement_ack')),
        sa.UniqueConstraint('project_id', 'user_id', 'plan_version',
                            name='uq_benefits_agreement_ack_project_user_version'),
    )
    op.create_index(op.f('ix_benefits_agreement_ack_project_id'), 'benefits_agreement_ack', ['project_id'],
                    unique=False)

    # --- risks and opportunities, ITPOSMO ------------------------------------------
    op.create_table(
        'risk',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('probability', sa.Integer(), nullable=False),
        sa.Column('consequence', sa.Integer(), nullable=False),
        sa.Column('strategy', sa.String(length=12), nullable=False),
        sa.Column('action', sa.Text(), nullable=False),
        sa.Column('responsible_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('probability_after', sa.Integer(), nullable=True),
        sa.Column('consequence_after', sa.Integer(), nullable=True),
        *_timestamps(),
        _project_fk('risk'),
        sa.ForeignKeyConstraint(['responsible_id'], ['user.id'], name=op.f('fk_risk_responsible_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_risk')),
    )
    op.create_index(op.f('ix_risk_project_id'), 'risk', ['project_id'], unique=False)
    op.create_index(op.f('ix_risk_responsible_id'), 'risk', ['responsible_id'], unique=False)

    dimensions = ('information', 'technology', 'processes', 'objectives', 'staffing', 'management',
                  'resources')
    op.create_table(
        'itposmo_assessment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        *[col for d in dimensions for col in (sa.Column(d, sa.Integer(), nullable=False),
                                              sa.Column(f'{d}_comment', sa.Text(), nullable=False))],
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        _project_fk('itposmo_assessment'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'],
                                name=op.f('fk_itposmo_assessment_updated_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_itposmo_assessment')),
        sa.UniqueConstraint('project_id', name=op.f('uq_itposmo_assessment_project_id')),
    )

    # --- stakeholders and the communication plan -----------------------------------
    op.create_table(
        'stakeholder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('interest', sa.Integer(), nullable=False),
        sa.Column('influence', sa.Integer(), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        *_timestamps(),
        _project_fk('stakeholder'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stakeholder')),
    )
    op.create_index(op.f('ix_stakeholder_project_id'), 'stakeholder', ['project_id'], unique=False)

    op.create_table(
        'communication_activity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('what', sa.String(length=300), nullable=False),
        sa.Column('audience', sa.String(length=200), nullable=False),
        sa.Column('stakeholder_id', sa.Integer(), nullable=True),
        sa.Column('channel', sa.String(length=12), nullable=False),
        sa.Column('planned_on', sa.Date(), nullable=True),
        sa.Column('responsible_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        *_timestamps(),
        _project_fk('communication_activity'),
        sa.ForeignKeyConstraint(['stakeholder_id'], ['stakeholder.id'], ondelete='SET NULL',
                                name=op.f('fk_communication_activity_stakeholder_id_stakeholder')),
        sa.ForeignKeyConstraint(['responsible_id'], ['user.id'],
                                name=op.f('fk_communication_activity_responsible_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_communication_activity')),
    )
    op.create_index(op.f('ix_communication_activity_project_id'), 'communication_activity', ['project_id'],
                    unique=False)
    op.create_index(op.f('ix_communication_activity_stakeholder_id'), 'communication_activity',
                    ['stakeholder_id'], unique=False)
    op.create_index(op.f('ix_communication_activity_responsible_id'), 'communication_activity',
                    ['responsible_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_communication_activity_responsible_id'), table_name='communication_activity')
    op.drop_index(op.f('ix_communication_activity_stakeholder_id'), table_name='communication_activity')
    op.drop_index(op.f('ix_communication_activity_project_id'), table_name='communication_activity')
    op.drop_table('communication_activity')
    op.drop_index(op.f('ix_stakeholder_project_id'), table_name='stakeholder')
    op.drop_table('stakeholder')
    op.drop_table('itposmo_assessment')
    op.drop_index(op.f('ix_risk_responsible_id'), table_name='risk')
    op.drop_index(op.f('ix_risk_project_id'), table_name='risk')
    op.drop_table('risk')
    op.drop_index(op.f('ix_benefits_agreement_ack_project_id'), table_name='benefits_agreement_ack')
    op.drop_table('benefits_agreement_ack')
    op.drop_index(op.f('ix_benefits_review_project_id'), table_name='benefits_review')
    op.drop_table('benefits_review')
    op.drop_table('benefits_plan')
    op.drop_index(op.f('ix_benefit_measurement_benefit_id'), table_name='benefit_measurement')
    op.drop_table('benefit_measurement')
    op.drop_index(op.f('ix_benefit_owner_id'), table_name='benefit')
    op.drop_index(op.f('ix_benefit_project_id'), table_name='benefit')
    op.drop_table('benefit')
