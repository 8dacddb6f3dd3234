"""Where a case's number counts (issue 16): ``cases.number_scope`` and ``relations.other_scope``.

'' where the city numbers its cases cumulatively, ``day:2020-01-28`` for a list that restarts every day
(Wenzhou's 患者一…, Shijiazhuang's 1月14日第1号确诊病例), ``district:泰顺县`` for a district's own numbering,
``notice`` for a day's numbering whose day is not known. Persons and relation links join only cases of
the same scope (``casedb.store.write``). Rows stored before this revision get '' (as they were linked)
until their document is parsed again (``casedb reparse --all``).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("number_scope", sa.String(64), nullable=False, server_default=""))
    with op.batch_alter_table("relations") as batch:
        batch.add_column(sa.Column("other_scope", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("relations") as batch:
        batch.drop_column("other_scope")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("number_scope")
