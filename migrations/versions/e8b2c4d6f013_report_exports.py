"""report exports built by a job: report_exports

Revision ID: e8b2c4d6f013
Revises: d3f5a7c9e112
Create Date: 2026-12-06 21:00:00

"""
from alembic import op
import sqlalchemy as sa

import training.models.base


# revision identifiers, used by Alembic.
revision = 'e8b2c4d6f013'
down_revision = 'd3f5a7c9e112'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('report', sa.String(length=40), nullable=False),
        sa.Column('format', sa.String(length=10), nullable=False),
        sa.Column('filters', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=120), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.Column('created_at', training.models.base.UTCDateTime(), nullable=False),
        sa.Column('finished_at', training.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_report_exports_requested_by_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_exports')),
    )
    with op.batch_alter_table('report_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_exports_requested_by_id'), ['requested_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_exports_requested_by_id'))
    op.drop_table('report_exports')
