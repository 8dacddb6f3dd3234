"""Cross-notice identity: ``persons`` keyed by (city, series, number) and ``cases.person_id``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("series", sa.String(32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_persons"),
        sa.UniqueConstraint("city", "series", "number", name="uq_persons_city_series_number"),
    )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_cases_person_id_persons", "persons", ["person_id"], ["id"])
        batch.create_index("ix_cases_person_id", ["person_id"])
    # Cases stored before this revision: one person per (city, series, number).
    op.execute("""
        INSERT INTO persons (city, series, number)
        SELECT DISTINCT n.city, c.series, c.number FROM cases c JOIN notices n ON n.id = c.notice_id
        WHERE n.city IS NOT NULL AND n.city <> '' AND c.series IS NOT NULL AND c.number IS NOT NULL
    """)
    op.execute("""
        UPDATE cases SET person_id = (
            SELECT p.id FROM persons p JOIN notices n ON n.city = p.city
            WHERE n.id = cases.notice_id AND p.series = cases.series AND p.number = cases.number)
    """)


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_person_id")
        batch.drop_constraint("fk_cases_person_id_persons", type_="foreignkey")
        batch.drop_column("person_id")
    op.drop_table("persons")
