"""dashboards, notifications, time zones, withdrawals, corrected certificates and short codes

Existing certificates get a random short code (80 bits, Crockford base32) before the column
becomes NOT NULL; their stored PDFs keep printing the long code, which keeps working.

Revision ID: c418baca2913
Revises: aece90e0b73e
Create Date: 2026-12-06 17:25:38.516175

"""
import secrets

from alembic import op
import sqlalchemy as sa

import training.models.base


# revision identifiers, used by Alembic.
revision = 'c418baca2913'
down_revision = 'aece90e0b73e'
branch_labels = None
depends_on = None

# A copy of the model's alphabet and length as they were when this migration was written.
SHORT_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SHORT_CODE_LENGTH = 16


def _short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def upgrade():
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('hours_logged', 'hours_verified', 'hours_rejected', 'signoff_requested', 'signoff_approved', 'signoff_returned', 'story_shared', 'story_feedback', 'statement_sent', 'statement_accepted', 'statement_returned', 'certificate_issued', 'certificate_revoked', 'renewal_open', 'lab_cancelled', name='notificationkind', native_enum=False, length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('target_type', sa.String(length=40), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_at', training.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', training.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', training.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', training.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_notifications_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_id_read_at', ['user_id', 'read_at'], unique=False)
        batch_op.create_index('uq_notifications_renewal_once', ['user_id', 'kind', 'target_type', 'target_id'], unique=True, sqlite_where=sa.text("kind = 'renewal_open'"), postgresql_where=sa.text("kind = 'renewal_open'"))

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('corrects_id', sa.Integer(), nullable=True))
    connection = op.get_bind()
    certificates = sa.table('certificates', sa.column('id', sa.Integer), sa.column('short_code', sa.String))
    for (certificate_id,) in connection.execute(sa.select(certificates.c.id)).all():
        connection.execute(sa.update(certificates).where(certificates.c.id == certificate_id)
                           .values(short_code=_short_code()))
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('short_code', existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_corrects_id'), ['corrects_id'])
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_short_code'), ['short_code'])
        batch_op.create_foreign_key(batch_op.f('fk_certificates_corrects_id_certificates'), 'certificates', ['corrects_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_certificates_correction_not_itself'),
                                         'corrects_id IS NULL OR corrects_id <> id')

    with op.batch_alter_table('hours_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', training.models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('notification_email', sa.Enum('each', 'digest', 'off', name='emailpreference', native_enum=False, length=10), server_default='each', nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('notification_email')
        batch_op.drop_column('time_zone')

    with op.batch_alter_table('hours_entries', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_certificates_correction_not_itself'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_certificates_corrects_id_certificates'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_certificates_short_code'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_certificates_corrects_id'), type_='unique')
        batch_op.drop_column('corrects_id')
        batch_op.drop_column('short_code')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('uq_notifications_renewal_once', sqlite_where=sa.text("kind = 'renewal_open'"), postgresql_where=sa.text("kind = 'renewal_open'"))
        batch_op.drop_index('ix_notifications_user_id_read_at')

    op.drop_table('notifications')
