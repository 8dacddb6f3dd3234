"""The stable keys' indexes led by the document: ``cases(document_id, case_key)``,
``visits(document_id, visit_key)`` and ``relations(document_id, relation_key)``, unique, each in place of
the table's unique index on its key and its index on ``document_id``.

Keys are BLAKE2b digests that fall at random, so every row written went to a random page of its key's
index, and at 100,000 cases most of those pages were out of the cache and written out again at each
commit. Led by the document id, which grows as documents are written, a load appends to the index. A key
hashes its document's source, so two documents never share one: unique within a document is unique.
Nothing looks a row up by its key alone (exports and ``casedb.store.keys`` read keys, never search for
one); the new index serves what the one on ``document_id`` did (a document's rows, removed when it is
written again, and the ``ON DELETE CASCADE`` from ``documents``). Stored values are unchanged.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

#: table → its key column
_KEYS = {"cases": "case_key", "visits": "visit_key", "relations": "relation_key"}


def upgrade() -> None:
    for table, key in _KEYS.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_{key}")
            batch.drop_index(f"ix_{table}_document_id")
            batch.create_index(f"ix_{table}_document_id_{key}", ["document_id", key], unique=True)


def downgrade() -> None:
    for table, key in _KEYS.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_document_id_{key}")
            batch.create_index(f"ix_{table}_document_id", ["document_id"])
            batch.create_index(f"ix_{table}_{key}", [key], unique=True)
