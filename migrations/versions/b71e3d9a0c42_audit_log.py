"""the audit log: audit_events (append-only, hash-chained) and audit_head (the chain's end)

Revision ID: b71e3d9a0c42
Revises: 8a4c2f1e6d35
Create Date: 2026-12-06 20:30:00

"""
from alembic import op
import sqlalchemy as sa

import training.models.base


# revision identifiers, used by Alembic.
revision = 'b71e3d9a0c42'
down_revision = '8a4c2f1e6d35'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('occurred_at', training.models.base.UTCDateTime(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_email', sa.String(length=254), nullable=False),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('object_type', sa.String(length=40), nullable=False),
        sa.Column('object_id', sa.String(length=64), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=True),
        sa.Column('address', sa.String(length=45), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.Column('prev_hash', sa.String(length=64), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
        sa.UniqueConstraint('seq', name=op.f('uq_audit_events_seq')),
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_actor_id_seq', ['actor_id', 'seq'], unique=False)
        batch_op.create_index('ix_audit_events_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index('ix_audit_events_subject_id_seq', ['subject_id', 'seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_occurred_at'), ['occurred_at'], unique=False)
    op.create_table(
        'audit_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('last_seq', sa.BigInteger(), nullable=False),
        sa.Column('last_hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head')),
    )
    op.execute(sa.text("INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '" + "0" * 64 + "')"))


def downgrade():
    op.drop_table('audit_head')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))
        batch_op.drop_index('ix_audit_events_subject_id_seq')
        batch_op.drop_index('ix_audit_events_object')
        batch_op.drop_index('ix_audit_events_actor_id_seq')
    op.drop_table('audit_events')
