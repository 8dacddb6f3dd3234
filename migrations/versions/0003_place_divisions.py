"""Administrative placement and categories of places (casedb.places), residence districts of cases,
and the qualifier (附近, 门口…) of each visit; rows stored before this revision are filled in.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PLACE_COLUMNS = {"province": sa.String(64), "adcode": sa.String(6), "latitude": sa.Float(),
                 "longitude": sa.Float(), "category": sa.String(32)}


def upgrade() -> None:
    with op.batch_alter_table("places") as batch:
        for name, type_ in PLACE_COLUMNS.items():
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.create_index("ix_places_adcode", ["adcode"])
        batch.create_index("ix_places_category", ["category"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("residence_district", sa.String(64), nullable=True))
        batch.add_column(sa.Column("residence_adcode", sa.String(6), nullable=True))
        batch.create_index("ix_cases_residence_adcode", ["residence_adcode"])
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("place_qualifier", sa.String(32), nullable=True))
    _fill_existing_rows(op.get_bind())


def _fill_existing_rows(connection) -> None:
    """Place rows and residences already stored get their division and category."""
    from casedb.places import normalise_place, place_columns, residence_columns

    places = sa.table("places", sa.column("id"), sa.column("name"), sa.column("city"), sa.column("district"),
                      *map(sa.column, PLACE_COLUMNS))
    for place_id, name, city in connection.execute(sa.select(places.c.id, places.c.name, places.c.city)).all():
        columns = place_columns(name, city or None)
        del columns["normalised_name"]      # keys stay as stored: re-keying could merge rows
        connection.execute(places.update().where(places.c.id == place_id).values(**columns))

    cases, notices = (sa.table("cases", sa.column("id"), sa.column("notice_id"), sa.column("residence"),
                               sa.column("residence_district"), sa.column("residence_adcode")),
                      sa.table("notices", sa.column("id"), sa.column("city")))
    rows = connection.execute(sa.select(cases.c.id, cases.c.residence, notices.c.city)
                              .join(notices, notices.c.id == cases.c.notice_id)
                              .where(cases.c.residence.is_not(None))).all()
    for case_id, residence, city in rows:
        connection.execute(cases.update().where(cases.c.id == case_id).values(**residence_columns(residence, city)))

    visits = sa.table("visits", sa.column("id"), sa.column("place_text"), sa.column("place_qualifier"))
    for visit_id, text in connection.execute(sa.select(visits.c.id, visits.c.place_text)
                                             .where(visits.c.place_text.is_not(None))).all():
        qualifier = normalise_place(text).qualifier
        if qualifier:
            connection.execute(visits.update().where(visits.c.id == visit_id).values(place_qualifier=qualifier))


def downgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("place_qualifier")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_residence_adcode")
        batch.drop_column("residence_adcode")
        batch.drop_column("residence_district")
    with op.batch_alter_table("places") as batch:
        batch.drop_index("ix_places_category")
        batch.drop_index("ix_places_adcode")
        for name in reversed(PLACE_COLUMNS):
            batch.drop_column(name)
