"""personal_data_exports: a person's own data as a ZIP built by a job; users.erased_at

Revision ID: c6e8a0b2d4f5
Revises: b4d6f8a0c2e3
Create Date: 2026-12-07 02:00:00

"""
from alembic import op
import sqlalchemy as sa

import training.models.base


# revision identifiers, used by Alembic.
revision = 'c6e8a0b2d4f5'
down_revision = 'b4d6f8a0c2e3'
branch_labels = None
depends_on = None

QUEUED = sa.text("status = 'queued'")


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', training.models.base.UTCDateTime(), nullable=True))
    op.create_table(
        'personal_data_exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('filename', sa.String(length=120), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.Column('created_at', training.models.base.UTCDateTime(), nullable=False),
        sa.Column('finished_at', training.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_personal_data_exports_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_exports')),
    )
    with op.batch_alter_table('personal_data_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_data_exports_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_personal_data_exports_one_queued', ['user_id'], unique=True,
                              sqlite_where=QUEUED, postgresql_where=QUEUED)


def downgrade():
    with op.batch_alter_table('personal_data_exports', schema=None) as batch_op:
        batch_op.drop_index('uq_personal_data_exports_one_queued', sqlite_where=QUEUED, postgresql_where=QUEUED)
        batch_op.drop_index(batch_op.f('ix_personal_data_exports_user_id'))
    op.drop_table('personal_data_exports')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
