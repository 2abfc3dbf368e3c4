"""users.holder_uuid: each person's stable identifier in the credentials they hold

Revision ID: a3c5e7f9b1d2
Revises: f2a6c8e0b4d7
Create Date: 2026-12-06 23:50:00

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c5e7f9b1d2'
down_revision = 'f2a6c8e0b4d7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holder_uuid', sa.String(length=36), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('holder_uuid', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(holder_uuid=str(uuid.uuid4())))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('holder_uuid', existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_holder_uuid'), ['holder_uuid'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_holder_uuid'), type_='unique')
        batch_op.drop_column('holder_uuid')
