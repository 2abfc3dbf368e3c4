"""the content revision: one number raised with every change to published content

Revision ID: f2a6c8e0b4d7
Revises: e8b2c4d6f013
Create Date: 2026-12-06 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2a6c8e0b4d7'
down_revision = 'e8b2c4d6f013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'content_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_revision')),
    )
    op.execute(sa.text("INSERT INTO content_revision (id, value) VALUES (1, 1)"))


def downgrade():
    op.drop_table('content_revision')
