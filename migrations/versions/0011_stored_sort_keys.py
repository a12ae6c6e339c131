"""stored sort keys: lists sort and page on an index instead of computing every row

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

Written by hand (issue 12). Adds to `project` the keys its lists sort on (a Norwegian
title and unit key, the stage's rank, and copies of values that live in other tables:
the owner's and manager's names, the latest status, the next milestone, the budget, the
benefit progress, the priority and the privacy queue's rank), and `user.name_key`, with
one index per sort order. The app keeps them up to date on every write
(app/models/sort_keys.py); this migration fills them for the rows already there.

The key function is frozen here as it was when the migration was written.
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

KEY_LENGTH = 200
_LETTERS = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"}
STAGE_RANK = {"draft": 0, "idea": 1, "concept": 2, "planning": 3, "execution": 4, "handover": 5,
              "realisation": 6, "completed": 7, "rejected": 8, "withdrawn": 9}
NULLABLE_KEYS = ("sort_owner", "sort_manager", "sort_status", "sort_milestone", "sort_budget",
                 "sort_benefits", "sort_priority")


def norwegian_key(text):
    out = []
    for ch in unicodedata.normalize("NFC", text or "").casefold().strip():
        if ch in _LETTERS:
            out.append(_LETTERS[ch])
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base if base.isascii() else ch)
    return " ".join("".join(out).split())[:KEY_LENGTH]


def _key_type():
    return sa.String(KEY_LENGTH).with_variant(sa.String(KEY_LENGTH, collation="C"), "postgresql")


_WORST = ("CASE WHEN 'red' IN ({c}) THEN 3 WHEN 'yellow' IN ({c}) THEN 2 WHEN 'green' IN ({c}) THEN 1 ELSE 0 END"
          .format(c="sr.progress_status, sr.cost_status, sr.quality_status, sr.risk_status, sr.benefits_status"))
_LATEST = ("FROM status_report sr WHERE sr.project_id = project.id AND sr.status = 'published' "
           "ORDER BY sr.published_at DESC, sr.id DESC LIMIT 1")
#: the derived keys as they are computed in SQL (app/models/sort_keys.py holds the live form)
DERIVED_SQL = {
    "sort_owner": 'SELECT u.name_key FROM "user" u WHERE u.id = project.owner_id',
    "sort_manager": 'SELECT u.name_key FROM "user" u WHERE u.id = project.manager_id',
    "sort_status": f"SELECT {_WORST} {_LATEST}",
    "sort_milestone": "SELECT min(m.due_date) FROM milestone m WHERE m.project_id = project.id "
                      "AND m.done_date IS NULL",
    "sort_budget": "SELECT pp.budget_nok FROM project_plan pp WHERE pp.project_id = project.id",
    "sort_benefits": (
        "SELECT avg(coalesce((SELECT max(0.0, min(1.0, (CAST(bm.value AS FLOAT) - b.baseline) "
        "/ nullif(CAST(b.target AS FLOAT) - b.baseline, 0.0))) FROM benefit_measurement bm "
        "WHERE bm.benefit_id = b.id ORDER BY bm.measured_on DESC, bm.id DESC LIMIT 1), 0.0)) "
        "FROM benefit b WHERE b.project_id = project.id AND b.baseline IS NOT NULL "
        "AND b.target IS NOT NULL AND b.target != b.baseline"),
    "sort_priority": "SELECT ps.strategic_value + ps.quality_benefit + ps.economic_benefit "
                     "+ ps.operational_need + (6 - ps.risk) FROM priority_score ps "
                     "WHERE ps.project_id = project.id",
}
_LATEST_RATIO = ("SELECT CASE WHEN (CAST(bm.value AS FLOAT) - benefit.baseline) / nullif(CAST(benefit.target AS FLOAT) "
                 "- benefit.baseline, 0.0) >= 1.0 THEN 'reached' WHEN (CAST(bm.value AS FLOAT) - benefit.baseline) "
                 "/ nullif(CAST(benefit.target AS FLOAT) - benefit.baseline, 0.0) >= 0.5 THEN 'halfway' "
                 "ELSE 'started' END FROM benefit_measurement bm WHERE bm.benefit_id = benefit.id "
                 "ORDER BY bm.measured_on DESC, bm.id DESC LIMIT 1")
BENEFIT_CATEGORY_SQL = ("CASE WHEN NOT (benefit.baseline IS NOT NULL AND benefit.target IS NOT NULL AND "
                        f"benefit.target != benefit.baseline) THEN 'undefined' ELSE coalesce(({_LATEST_RATIO}), "
                        "'unmeasured') END")
_PRIVACY_SQL = ("CASE WHEN coalesce((SELECT pa.dpia_status FROM privacy_assessment pa WHERE pa.project_id = "
                "project.id), 'ikke_vurdert') IN ('ferdig', 'ikke_nodvendig') THEN 2 "
                "WHEN project.stage IN ('concept', 'planning') THEN 0 ELSE 1 END")


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', _key_type(), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_user_name_key'), ['name_key'], unique=False)
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_key', _key_type(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('unit_key', _key_type(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('stage_rank', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('sort_owner', _key_type(), nullable=True))
        batch_op.add_column(sa.Column('sort_manager', _key_type(), nullable=True))
        batch_op.add_column(sa.Column('sort_status', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sort_milestone', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('sort_budget', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('sort_benefits', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('sort_priority', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sort_privacy', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('benefit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('progress_category', sa.String(length=12), server_default='undefined',
                                      nullable=False))

    # Fill the keys of the rows already there.
    conn = op.get_bind()
    conn.execute(sa.text(f"UPDATE benefit SET progress_category = ({BENEFIT_CATEGORY_SQL})"))
    users = conn.execute(sa.text('SELECT id, display_name FROM "user"')).all()
    if users:
        conn.execute(sa.text('UPDATE "user" SET name_key = :k WHERE id = :i'),
                     [{"k": norwegian_key(name), "i": uid} for uid, name in users])
    projects = conn.execute(sa.text("SELECT id, title, unit, stage FROM project")).all()
    if projects:
        conn.execute(sa.text("UPDATE project SET title_key = :t, unit_key = :u, stage_rank = :s WHERE id = :i"),
                     [{"t": norwegian_key(title), "u": norwegian_key(unit), "s": STAGE_RANK.get(stage, 99), "i": pid}
                      for pid, title, unit, stage in projects])
    sets = ", ".join(f"{col} = ({sql})" for col, sql in DERIVED_SQL.items())
    if conn.dialect.name == "postgresql":
        sets = sets.replace("max(0.0, min(1.0,", "greatest(0.0, least(1.0,")
    conn.execute(sa.text(f"UPDATE project SET {sets}, sort_privacy = {_PRIVACY_SQL}"))

    op.create_index('ix_project_sort_stage', 'project', ['stage_rank', 'title_key', 'id'])
    op.create_index('ix_project_sort_stage_desc', 'project',
                    [sa.text('stage_rank DESC'), 'title_key', sa.text('id DESC')])
    op.create_index('ix_project_sort_title', 'project', ['title_key', 'id'])
    op.create_index('ix_project_sort_unit', 'project', ['unit_key', 'id'])
    for key in NULLABLE_KEYS:
        op.create_index(f'ix_project_{key}', 'project', [sa.text(f'({key} IS NULL)'), key, 'id'])
        op.create_index(f'ix_project_{key}_desc', 'project',
                        [sa.text(f'({key} IS NULL)'), sa.text(f'{key} DESC'), sa.text('id DESC')])
    # The queues' own orders, with the columns they filter on after them (covering).
    filtered_on = ['stage', 'restricted', 'submitted_by_id', 'owner_id', 'manager_id']
    op.create_index('ix_project_sort_privacy', 'project',
                    ['sort_privacy', sa.text('stage_rank DESC'), 'title_key', 'id', 'personal_data', *filtered_on])
    op.create_index('ix_project_needs_ikt', 'project',
                    ['needs_ikt', sa.text('(submitted_at IS NULL)'), 'submitted_at', 'id', *filtered_on])
    op.create_index('ix_benefit_project_category', 'benefit', ['project_id', 'progress_category'])
    # "Mitt" finds the requests a person sent through their own index.
    op.create_index('ix_gate_request_requested_by_id', 'gate_request', ['requested_by_id'])
    # The IKT queue walks open tasks by due date (no date last).
    op.create_index('ix_technical_task_due', 'technical_task',
                    [sa.text('(due_date IS NULL)'), 'due_date', 'id'])


def downgrade():
    op.drop_index('ix_technical_task_due', table_name='technical_task')
    op.drop_index('ix_project_needs_ikt', table_name='project')
    op.drop_index('ix_gate_request_requested_by_id', table_name='gate_request')
    op.drop_index('ix_benefit_project_category', table_name='benefit')
    op.drop_index('ix_project_sort_privacy', table_name='project')
    for key in reversed(NULLABLE_KEYS):
        op.drop_index(f'ix_project_{key}_desc', table_name='project')
        op.drop_index(f'ix_project_{key}', table_name='project')
    for name in ('ix_project_sort_unit', 'ix_project_sort_title', 'ix_project_sort_stage_desc',
                 'ix_project_sort_stage'):
        op.drop_index(name, table_name='project')
    with op.batch_alter_table('project', schema=None) as batch_op:
        for col in ('sort_privacy', 'sort_priority', 'sort_benefits', 'sort_budget', 'sort_milestone',
                    'sort_status', 'sort_manager', 'sort_owner', 'stage_rank', 'unit_key', 'title_key'):
            batch_op.drop_column(col)
    with op.batch_alter_table('benefit', schema=None) as batch_op:
        batch_op.drop_column('progress_category')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_name_key'))
        batch_op.drop_column('name_key')
