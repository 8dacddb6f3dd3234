"""One city under both scripts (廣州市 / 广州市): notices, persons and places store the simplified name, so a
page in traditional characters joins the city's other notices (the writer, and revision 0012 for rows
stored before it)."""
from __future__ import annotations

import sqlalchemy as sa

from casedb.store import connect, downgrade, load, upgrade
from tests.toy_notices import notice_text, parse

CASE = "CASE 病例9 case 9 male 30\nVISIT 2022-04-10 - 天河城 购物"


def _load_both(tmp_path, db_url):
    for name, city in (("traditional", "廣州市"), ("simplified", "广州市")):
        (tmp_path / f"{name}.txt").write_text(notice_text(city, "2022-04-13", CASE), encoding="utf-8")
    assert load([tmp_path / "traditional.txt", tmp_path / "simplified.txt"], db_url, parser=parse, workers=1).ok
    return connect(db_url)


def _rows(engine) -> dict:
    with engine.connect() as connection:
        def column(sql):
            return sorted(connection.execute(sa.text(sql)).scalars())
        return {"notice cities": column("SELECT city FROM notices"),
                "persons": column("SELECT city FROM persons"), "places": column("SELECT city FROM places"),
                "case persons": len(set(column("SELECT person_id FROM cases"))),
                "visit places": len(set(column("SELECT place_id FROM visits")))}


ONE_CITY = {"notice cities": ["广州市", "广州市"], "persons": ["广州市"], "places": ["广州市"],
            "case persons": 1, "visit places": 1}


def test_the_writer_stores_one_city_whatever_the_script(tmp_path, db_url):
    assert _rows(_load_both(tmp_path, db_url)) == ONE_CITY


def test_revision_0012_merges_the_persons_and_places_stored_under_the_traditional_name(tmp_path, db_url):
    engine = _load_both(tmp_path, db_url)
    downgrade(engine, "0011")
    with engine.begin() as connection:   # as the writer stored the traditional page before
        document = connection.execute(sa.text("SELECT id FROM documents WHERE source LIKE '%traditional.txt'")).scalar()
        connection.execute(sa.text("UPDATE notices SET city = '廣州市' WHERE document_id = :d"), {"d": document})
        for table, pointing, column, values in (
                ("persons", "cases", "person_id", "(city, year, series, number, scope) VALUES ('廣州市', 2022, 'case', 9, '')"),
                ("places", "visits", "place_id", "(name, normalised_name, city) VALUES ('天河城', '天河城', '廣州市')")):
            connection.execute(sa.text(f"INSERT INTO {table} {values}"))
            moved = connection.execute(sa.text(f"SELECT id FROM {table} WHERE city = '廣州市'")).scalar()
            connection.execute(sa.text(f"UPDATE {pointing} SET {column} = :moved WHERE document_id = :d"),
                               {"moved": moved, "d": document})
    assert _rows(engine)["case persons"] == 2 and _rows(engine)["visit places"] == 2
    upgrade(engine)
    assert _rows(engine) == ONE_CITY
