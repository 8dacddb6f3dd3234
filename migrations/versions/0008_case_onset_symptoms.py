"""Cases keep the date of first symptoms and the symptoms as written (issue 17).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("onset_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("symptoms", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("symptoms")
        batch.drop_column("onset_date")
