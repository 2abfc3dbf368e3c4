"""xapi_statements: statements for a learning record store, kept after they are sent

Revision ID: b4d6f8a0c2e3
Revises: a3c5e7f9b1d2
Create Date: 2026-12-07 00:00:00

"""
from alembic import op
import sqlalchemy as sa

import training.models.base


# revision identifiers, used by Alembic.
revision = 'b4d6f8a0c2e3'
down_revision = 'a3c5e7f9b1d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'xapi_statements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('statement_id', sa.String(length=36), nullable=False),
        sa.Column('verb', sa.String(length=40), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('statement', sa.JSON(), nullable=False),
        sa.Column('created_at', training.models.base.UTCDateTime(), nullable=False),
        sa.Column('sent_at', training.models.base.UTCDateTime(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_xapi_statements_actor_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_xapi_statements')),
        sa.UniqueConstraint('statement_id', name=op.f('uq_xapi_statements_statement_id')),
    )
    with op.batch_alter_table('xapi_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_xapi_statements_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_xapi_statements_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_xapi_statements_unsent', ['id'], unique=False,
                              sqlite_where=sa.text('sent_at IS NULL'), postgresql_where=sa.text('sent_at IS NULL'))


def downgrade():
    with op.batch_alter_table('xapi_statements', schema=None) as batch_op:
        batch_op.drop_index('ix_xapi_statements_unsent', sqlite_where=sa.text('sent_at IS NULL'),
                            postgresql_where=sa.text('sent_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_xapi_statements_created_at'))
        batch_op.drop_index(batch_op.f('ix_xapi_statements_actor_id'))
    op.drop_table('xapi_statements')
