"""``documents.rows_digest``: a digest of the rows a document's text parsed to (``casedb.store.parsed.rows_digest``).

A re-parse whose rows come out the same (most documents, when a parser change touches a few phrasings) keeps the
stored rows and their ids, and sets only their parser version: no rows deleted and inserted again, no index entries
removed and added back. Documents stored before have none, so their next re-parse writes their rows as before.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("rows_digest", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("rows_digest")
