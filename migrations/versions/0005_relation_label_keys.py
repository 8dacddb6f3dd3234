"""Relations carry the series and number of the label they name, so that 确诊病例12, 12号病例 and
第12例 link to the case labelled 病例12.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("relations") as batch:
        batch.add_column(sa.Column("other_series", sa.String(32), nullable=True))
        batch.add_column(sa.Column("other_number", sa.Integer(), nullable=True))
        batch.create_index("ix_relations_other_number", ["other_number"])
    connection = op.get_bind()
    update = sa.text("UPDATE relations SET other_series = :series, other_number = :number WHERE id = :id")
    relations = connection.execute(sa.text("SELECT id, other_label FROM relations")).all()
    if not relations:   # a new database: the label grammar is not imported for nothing
        return
    from casedb.grammar.labels import label_key

    for relation_id, other_label in relations:
        key = label_key(other_label)
        if key:
            connection.execute(update, {"series": key[0], "number": key[1], "id": relation_id})


def downgrade() -> None:
    with op.batch_alter_table("relations") as batch:
        batch.drop_index("ix_relations_other_number")
        batch.drop_column("other_number")
        batch.drop_column("other_series")
