"""A city is one city whatever script its notices use (廣州市 and 广州市): notices, persons and places store
the simplified name (``casedb.store.rows.stored_city``). Persons and places that become the same are merged:
their cases and visits move to the one kept (the lowest id), and the other rows are deleted.

Downgrade changes nothing: the traditional spellings stay in the documents' text and the extract JSON.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

#: table → (its identity columns besides city, the table and column that point at it)
_REGISTRIES = {"persons": (("year", "series", "number", "scope"), "cases", "person_id"),
               "places": (("normalised_name",), "visits", "place_id")}


def upgrade() -> None:
    from casedb.read import to_simplified

    bind = op.get_bind()
    cities = [city for (city,) in bind.execute(sa.text(
        "SELECT city FROM notices WHERE city IS NOT NULL UNION SELECT city FROM persons UNION SELECT city FROM places"))]
    renamed = {city: simplified for city in cities if city and (simplified := to_simplified(city)) != city}
    for old, new in renamed.items():
        bind.execute(sa.text("UPDATE notices SET city = :new WHERE city = :old"), {"old": old, "new": new})
        for table, (identity, pointing, column) in _REGISTRIES.items():
            same = " AND ".join(f"kept.{name} = moved.{name}" for name in identity)
            pairs = bind.execute(sa.text(
                f"SELECT moved.id, kept.id FROM {table} moved JOIN {table} kept ON kept.city = :new AND {same} "
                f"WHERE moved.city = :old"), {"old": old, "new": new}).all()
            for moved, kept in pairs:
                bind.execute(sa.text(f"UPDATE {pointing} SET {column} = :kept WHERE {column} = :moved"),
                             {"kept": kept, "moved": moved})
                bind.execute(sa.text(f"DELETE FROM {table} WHERE id = :moved"), {"moved": moved})
            bind.execute(sa.text(f"UPDATE {table} SET city = :new WHERE city = :old"), {"old": old, "new": new})


def downgrade() -> None:
    pass
