"""one open sign-off request per trainee and competency, as a partial unique index

Ten parallel requests for one competency opened four (the check ran in Python). Requests
opened twice before this revision are withdrawn, all but the newest, so the index can be made.

Revision ID: 8a4c2f1e6d35
Revises: 5d2e7a9c4b10
Create Date: 2026-12-06 20:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8a4c2f1e6d35'
down_revision = '5d2e7a9c4b10'
branch_labels = None
depends_on = None

OPEN_REQUEST = "status NOT IN ('approved', 'withdrawn')"


def upgrade():
    op.execute(sa.text(
        "UPDATE signoff_requests SET status = 'withdrawn' WHERE " + OPEN_REQUEST + " AND id NOT IN ("
        "SELECT max(id) FROM signoff_requests WHERE " + OPEN_REQUEST + " GROUP BY trainee_id, competency)"))
    with op.batch_alter_table('signoff_requests', schema=None) as batch_op:
        batch_op.create_index('uq_signoff_requests_one_open', ['trainee_id', 'competency'], unique=True,
                              sqlite_where=sa.text(OPEN_REQUEST), postgresql_where=sa.text(OPEN_REQUEST))


def downgrade():
    with op.batch_alter_table('signoff_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_signoff_requests_one_open', sqlite_where=sa.text(OPEN_REQUEST),
                            postgresql_where=sa.text(OPEN_REQUEST))
