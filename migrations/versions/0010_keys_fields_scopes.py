"""Rows you can trust and the fields epidemiologists count (issues 16 and 17).

- ``case_key``, ``visit_key``, ``relation_key``: stable keys built from the source, the notice and the
  label (or the row's content), not from insertion order, so that they survive ``casedb reparse`` and a
  reload into a fresh database (``casedb.store.keys``). Rows stored before this revision have none until
  their document is parsed again (``casedb reparse --all``).
- ``cases.year_inferred`` / ``visits.year_inferred``: the year of the row's dates was not written but
  inferred from the notice.
- ``cases.exposure`` (as written), ``exposure_origin``, ``exposure_date``; ``discovery`` (one of
  ``casedb.records.DISCOVERY_KINDS``) and ``discovery_phrase``; ``hospital`` (where the case is treated).
- ``persons.scope``: the scope a notice numbers its cases in ('' for the whole city; a day or a district
  where the numbering restarts), part of the person's identity.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_CASE_FIELDS = (
    ("case_key", sa.String(40)), ("year_inferred", sa.Boolean()), ("exposure", sa.Text()),
    ("exposure_origin", sa.String(64)), ("exposure_date", sa.Date()), ("discovery", sa.String(40)),
    ("discovery_phrase", sa.Text()), ("hospital", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name, type_ in _CASE_FIELDS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.create_index("ix_cases_case_key", ["case_key"], unique=True)
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("visit_key", sa.String(40), nullable=True))
        batch.add_column(sa.Column("year_inferred", sa.Boolean(), nullable=True))
        batch.create_index("ix_visits_visit_key", ["visit_key"], unique=True)
    with op.batch_alter_table("relations") as batch:
        batch.add_column(sa.Column("relation_key", sa.String(40), nullable=True))
        batch.create_index("ix_relations_relation_key", ["relation_key"], unique=True)
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("scope", sa.String(64), nullable=False, server_default=""))
        batch.drop_constraint("uq_persons_city_year_series_number", type_="unique")
        batch.create_unique_constraint("uq_persons_city_year_series_number_scope",
                                       ["city", "year", "series", "number", "scope"])


def downgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.drop_constraint("uq_persons_city_year_series_number_scope", type_="unique")
    # persons of other scopes would break the old key: unlink and drop them
    op.execute("UPDATE cases SET person_id = NULL WHERE person_id IN (SELECT id FROM persons WHERE scope <> '')")
    op.execute("DELETE FROM persons WHERE scope <> ''")
    with op.batch_alter_table("persons") as batch:
        batch.drop_column("scope")
        batch.create_unique_constraint("uq_persons_city_year_series_number", ["city", "year", "series", "number"])
    with op.batch_alter_table("relations") as batch:
        batch.drop_index("ix_relations_relation_key")
        batch.drop_column("relation_key")
    with op.batch_alter_table("visits") as batch:
        batch.drop_index("ix_visits_visit_key")
        batch.drop_column("year_inferred")
        batch.drop_column("visit_key")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_case_key")
        for name, _ in reversed(_CASE_FIELDS):
            batch.drop_column(name)
