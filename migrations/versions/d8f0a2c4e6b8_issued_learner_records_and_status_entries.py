"""issued_learner_records; status_list_entries shared by certificates and learner records

Revision ID: d8f0a2c4e6b8
Revises: c6e8a0b2d4f5
Create Date: 2026-12-07 04:30:00

Certificates issued before this migration keep their id as their bit in the revocation
list (their signed credentials say so): each gets the status entry with the same id, and
new entries are numbered after the highest.
"""
from alembic import op
import sqlalchemy as sa

import training.models.base


# revision identifiers, used by Alembic.
revision = 'd8f0a2c4e6b8'
down_revision = 'c6e8a0b2d4f5'
branch_labels = None
depends_on = None

IN_FORCE = sa.text("revoked_at IS NULL")


def upgrade():
    op.create_table(
        'status_list_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', training.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_status_list_entries')),
        sqlite_autoincrement=True,
    )
    op.execute("INSERT INTO status_list_entries (id, created_at) SELECT id, issued_at FROM certificates")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('status_list_entries', 'id'), "
                   "COALESCE((SELECT max(id) FROM status_list_entries), 0) + 1, false)")
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_index', sa.Integer(), nullable=True))
    op.execute("UPDATE certificates SET status_index = id")
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('status_index', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_status_index'), ['status_index'])
        batch_op.create_foreign_key(batch_op.f('fk_certificates_status_index_status_list_entries'),
                                    'status_list_entries', ['status_index'], ['id'])
    op.create_table(
        'issued_learner_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=36), nullable=False),
        sa.Column('holder_id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('status_index', sa.Integer(), nullable=False),
        sa.Column('achievements', sa.Integer(), nullable=False),
        sa.Column('issued_at', training.models.base.UTCDateTime(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('credential_json', sa.Text(), nullable=False),
        sa.Column('credential_jwt', sa.Text(), nullable=False),
        sa.Column('transcript_pdf', sa.LargeBinary(), nullable=False),
        sa.Column('revoked_at', training.models.base.UTCDateTime(), nullable=True),
        sa.Column('revoked_reason', sa.Text(), nullable=False),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['holder_id'], ['users.id'], name=op.f('fk_issued_learner_records_holder_id_users')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'],
                                name=op.f('fk_issued_learner_records_issued_by_id_users')),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'],
                                name=op.f('fk_issued_learner_records_revoked_by_id_users')),
        sa.ForeignKeyConstraint(['status_index'], ['status_list_entries.id'],
                                name=op.f('fk_issued_learner_records_status_index_status_list_entries')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_learner_records')),
        sa.UniqueConstraint('public_id', name=op.f('uq_issued_learner_records_public_id')),
        sa.UniqueConstraint('status_index', name=op.f('uq_issued_learner_records_status_index')),
    )
    with op.batch_alter_table('issued_learner_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_learner_records_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index('uq_issued_learner_records_one_in_force', ['holder_id', 'fingerprint'], unique=True,
                              sqlite_where=IN_FORCE, postgresql_where=IN_FORCE)


def downgrade():
    with op.batch_alter_table('issued_learner_records', schema=None) as batch_op:
        batch_op.drop_index('uq_issued_learner_records_one_in_force', sqlite_where=IN_FORCE, postgresql_where=IN_FORCE)
        batch_op.drop_index(batch_op.f('ix_issued_learner_records_holder_id'))
    op.drop_table('issued_learner_records')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificates_status_index_status_list_entries'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_certificates_status_index'), type_='unique')
        batch_op.drop_column('status_index')
    op.drop_table('status_list_entries')
