"""Persons are keyed by (city, year published, series, number): numbering restarts, so the same
label in another year is another person; cases of notices without a date get no person.

Each case is linked with the writer's guard (``casedb.store.write._person_id``): not when a case of
another document already linked to that person has another sex or an age more than a year apart (then
the same label names someone else: no person rather than a wrong one). Until issue 19 this revision
linked every case without that guard; revision 0009 repairs the links of databases that ran it then
(editing this file cannot: alembic never runs an applied revision again).

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
    _unlink_conflicting()


def _unlink_conflicting() -> None:
    """Unlink each case that the writer would not have linked to its person: walking each person's cases
    in the order they were written (by id), a case whose sex or age (more than a year apart) contradicts
    a case of another document kept before it. Cases of one document are not checked against each other,
    as the writer does not. (The same walk as revision 0009's.)"""
    bind = op.get_bind()
    kept: dict[int, list[tuple]] = {}
    wrong = []
    for case_id, person_id, document_id, sex, age in bind.execute(sa.text(
            "SELECT id, person_id, document_id, sex, age FROM cases WHERE person_id IS NOT NULL ORDER BY id")):
        known = kept.setdefault(person_id, [])
        if any(document != document_id and ((other_sex and sex and other_sex != sex)
                                            or (other_age is not None and age is not None and abs(other_age - age) > 1))
               for document, other_sex, other_age in known):
            wrong.append(case_id)
        else:
            known.append((document_id, sex, age))
    unlink = sa.text("UPDATE cases SET person_id = NULL WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True))
    for start in range(0, len(wrong), 1000):
        bind.execute(unlink, {"ids": wrong[start:start + 1000]})


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
