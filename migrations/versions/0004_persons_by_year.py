"""Persons are keyed by (city, year published, series, number): numbering restarts, so the same
label in another year is another person; cases of notices without a date get no person.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _year_of(column: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def _relink(with_year: bool) -> None:
    """Fill ``persons`` from the stored cases and point each case at its person."""
    year = _year_of("n.published")
    columns = "city, year, series, number" if with_year else "city, series, number"
    values = f"n.city, {year}, c.series, c.number" if with_year else "n.city, c.series, c.number"
    dated = "AND n.published IS NOT NULL" if with_year else ""
    same_year = f"AND p.year = {year}" if with_year else ""
    op.execute(f"""
        INSERT INTO persons ({columns})
        SELECT DISTINCT {values} FROM cases c JOIN notices n ON n.id = c.notice_id
        WHERE n.city IS NOT NULL AND n.city <> '' AND c.series IS NOT NULL AND c.number IS NOT NULL {dated}
    """)
    op.execute(f"""
        UPDATE cases SET person_id = (
            SELECT p.id FROM persons p JOIN notices n ON n.city = p.city
            WHERE n.id = cases.notice_id AND p.series = cases.series AND p.number = cases.number {same_year})
    """)


def _rebuild(with_year: bool) -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint("fk_cases_person_id_persons", type_="foreignkey")
    op.execute("UPDATE cases SET person_id = NULL")
    op.drop_table("persons")
    key_columns = ["city", "year", "series", "number"] if with_year else ["city", "series", "number"]
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("city", sa.String(64), nullable=False),
        *([sa.Column("year", sa.Integer(), nullable=False)] if with_year else []),
        sa.Column("series", sa.String(32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_persons"),
        sa.UniqueConstraint(*key_columns, name=f"uq_persons_{'_'.join(key_columns)}"),
    )
    with op.batch_alter_table("cases") as batch:
        batch.create_foreign_key("fk_cases_person_id_persons", "persons", ["person_id"], ["id"])
    _relink(with_year)


def upgrade() -> None:
    _rebuild(with_year=True)


def downgrade() -> None:
    _rebuild(with_year=False)
