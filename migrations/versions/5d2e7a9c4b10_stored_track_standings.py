"""stored track standings: users.standing_version and track_standings

Each person's standing on each track is stored (training/certification/stored.py) so that
lists of thousands read it; a row is good while the person's standing_version and the
track's content stamp are those it was computed at. Rows are computed when first read, so
the table starts empty.

Revision ID: 5d2e7a9c4b10
Revises: 1b8662a07b17
Create Date: 2026-12-06 20:10:00

"""
from alembic import op
import sqlalchemy as sa

import training.models.base


# revision identifiers, used by Alembic.
revision = '5d2e7a9c4b10'
down_revision = '1b8662a07b17'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standing_version', sa.Integer(), server_default='0', nullable=False))
    op.create_table(
        'track_standings',
        sa.Column('holder_id', sa.Integer(), nullable=False),
        sa.Column('track', sa.String(length=60), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('content_stamp', sa.String(length=64), nullable=False),
        sa.Column('eligible', sa.Boolean(), nullable=False),
        sa.Column('requirements_met', sa.Integer(), nullable=False),
        sa.Column('requirements_total', sa.Integer(), nullable=False),
        sa.Column('computed_at', training.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['holder_id'], ['users.id'], name=op.f('fk_track_standings_holder_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('holder_id', 'track', name=op.f('pk_track_standings')),
    )


def downgrade():
    op.drop_table('track_standings')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('standing_version')
