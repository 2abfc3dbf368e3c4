"""fast lists: waiting entries, partial indexes for pending states, no duplicate indexes

hours_entries.decided_at is when the newest decision was recorded (None while the entry
waits); existing entries take it from their decisions. Partial indexes on the waiting rows
of hours_entries, signoff_requests and quiz_attempts make the supervisor's queue count an
index lookup. Three indexes that repeated the leading column of a unique constraint go.

Revision ID: 1b8662a07b17
Revises: c418baca2913
Create Date: 2026-12-06 18:21:08.593224

"""
from alembic import op
import sqlalchemy as sa

import training.models.base


# revision identifiers, used by Alembic.
revision = '1b8662a07b17'
down_revision = 'c418baca2913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_holder_id'))

    with op.batch_alter_table('hours_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_at', training.models.base.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE hours_entries SET decided_at = (SELECT max(hours_decisions.created_at) FROM hours_decisions "
               "WHERE hours_decisions.entry_id = hours_entries.id)")
    with op.batch_alter_table('hours_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hours_entries_trainee_id'))
        batch_op.create_index('ix_hours_entries_waiting', ['trainee_id'], unique=False, sqlite_where=sa.text('decided_at IS NULL AND withdrawn_at IS NULL'), postgresql_where=sa.text('decided_at IS NULL AND withdrawn_at IS NULL'))

    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_progress_trainee_id'))

    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_attempts_awaiting_review', ['user_id'], unique=False, sqlite_where=sa.text("status = 'awaiting_review'"), postgresql_where=sa.text("status = 'awaiting_review'"))

    with op.batch_alter_table('signoff_requests', schema=None) as batch_op:
        batch_op.create_index('ix_signoff_requests_pending', ['trainee_id'], unique=False, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))


def downgrade():
    with op.batch_alter_table('signoff_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_signoff_requests_pending', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempts_awaiting_review', sqlite_where=sa.text("status = 'awaiting_review'"), postgresql_where=sa.text("status = 'awaiting_review'"))

    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_progress_trainee_id'), ['trainee_id'], unique=False)

    with op.batch_alter_table('hours_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_hours_entries_waiting', sqlite_where=sa.text('decided_at IS NULL AND withdrawn_at IS NULL'), postgresql_where=sa.text('decided_at IS NULL AND withdrawn_at IS NULL'))
        batch_op.create_index(batch_op.f('ix_hours_entries_trainee_id'), ['trainee_id'], unique=False)
        batch_op.drop_column('decided_at')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_holder_id'), ['holder_id'], unique=False)
