"""Build small databases row by row, for the analysis tests (no parser involved)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert

from casedb.store import models

PARSER = "test"
NOW = dt.datetime(2022, 4, 20, 12, 0)


class DbBuilder:
    """Inserts documents, notices, cases, places, visits and relations; returns their ids."""

    def __init__(self, engine: Engine):
        self.engine = engine
        models.metadata.create_all(engine)
        self.document_id = self._insert(models.documents, source="hand-built", sha256="0" * 64,
                                        size_bytes=0, encoding="utf-8", media_type="text/plain",
                                        text="", first_seen=NOW, changed_at=NOW, last_seen=NOW, parser_version=PARSER)

    def _insert(self, table, **values) -> int:
        with self.engine.begin() as conn:
            return conn.execute(insert(table).values(**values)).inserted_primary_key[0]

    def notice(self, city: str | None = "太原市", published: dt.date | None = dt.date(2022, 4, 13),
               **values) -> int:
        return self._insert(models.notices, document_id=self.document_id, city=city, published=published,
                            parser_version=PARSER, **values)

    def case(self, notice_id: int, label: str, positive_date: dt.date | None = None,
             category: str | None = "confirmed", **values) -> int:
        number = int("".join(ch for ch in label if ch.isdigit()) or 0) or None
        return self._insert(models.cases, notice_id=notice_id, document_id=self.document_id, label=label,
                            number=number, category=category, positive_date=positive_date,
                            parser_version=PARSER, **values)

    def person(self, city: str = "太原市", series: str = "case", number: int = 1, year: int = 2022) -> int:
        return self._insert(models.persons, city=city, year=year, series=series, number=number)

    def place(self, name: str, city: str = "太原市", district: str | None = None) -> int:
        return self._insert(models.places, name=name, normalised_name=name, city=city, district=district)

    def visit(self, case_id: int | None, place_id: int | None, date: dt.date | None,
              start: str | None = None, end: str | None = None, kind: str = "visit",
              notice_id: int | None = None, **values) -> int:
        """A visit; ``start``/``end`` are "HH:MM" on ``date``."""
        def at(clock):
            return None if clock is None else dt.datetime.combine(date, dt.time.fromisoformat(clock))
        if notice_id is None:
            notice_id = self._notice_of(case_id)
        return self._insert(models.visits, case_id=case_id, notice_id=notice_id,
                            document_id=self.document_id, place_id=place_id, kind=kind, date=date,
                            start=at(start), end=at(end), parser_version=PARSER, **values)

    def relation(self, case_id: int, other_case_id: int | None, kind: str,
                 other_label: str = "病例?") -> int:
        return self._insert(models.relations, case_id=case_id, other_case_id=other_case_id, kind=kind,
                            other_label=other_label, document_id=self.document_id,
                            parser_version=PARSER)

    def _notice_of(self, case_id: int) -> int:
        with self.engine.connect() as conn:
            return conn.execute(models.cases.select().where(models.cases.c.id == case_id)).one().notice_id


def build_demo_db(engine: Engine) -> None:
    """Two notices with cases, trajectories, relations and shared places: every notebook
    section has something to show."""
    db = DbBuilder(engine)
    day = dt.date(2022, 4, 2)
    taiyuan, xian = db.notice(published=dt.date(2022, 4, 13)), db.notice(city="西安市")
    tea = db.place("茂业天地喜茶店", district="小店区")
    market = db.place("美特好超市", district="万柏林区")
    train = db.place("D2424次列车")
    wall = db.place("城墙", city="西安市", district="碑林区")
    cases = [db.case(taiyuan, f"病例{n}", positive_date=day + dt.timedelta(days=n % 4 + 5),
                     category="asymptomatic" if n % 3 == 0 else "confirmed", sex="female", age=20 + n,
                     **({} if n % 3 == 0 else {"onset_date": day + dt.timedelta(days=n % 4 + 3),
                                               "symptoms": "发热、咳嗽"}))   # the confirmed ones fell ill
             for n in range(1, 9)]
    for n, case_id in enumerate(cases):
        db.visit(case_id, tea, day + dt.timedelta(days=n % 3), f"{10 + n}:00", f"{11 + n}:30")
        db.visit(case_id, None, day + dt.timedelta(days=3), kind="home",
                 end_date=day + dt.timedelta(days=4))
        db.visit(case_id, market, day + dt.timedelta(days=5), part_of_day="上午" if n % 2 else None)
    db.visit(cases[0], train, day + dt.timedelta(days=6), "09:00", "11:30", kind="transit",
             vehicle="D2424")
    db.visit(None, market, day + dt.timedelta(days=5), notice_id=taiyuan)
    db.relation(cases[1], cases[0], "spouse")
    db.relation(cases[2], cases[0], "child")
    db.relation(cases[5], cases[4], "colleague")
    db.relation(cases[7], None, "close_contact", other_label="病例30")
    visitors = [db.case(xian, f"病例{n}", positive_date=day) for n in (1, 2)]
    for case_id in visitors:
        db.visit(case_id, wall, day, part_of_day="下午")
