"""A tiny line format that stands in for the real parser in store tests, so they test only the store.

    NOTICE 太原市 2022-04-13          starts a notice (city, published date; "-" for none)
    CASE 病例49 case 49 male 19       label, series, number, sex, age
    VISIT 2022-04-02 20:00 茂业天地 买奶茶   date, clock time or "-", place, optional activity
    RIDE 2022-04-03 D2424次列车       a transit ride
    HOME 2022-04-06 2022-04-07        a home stay
    SHARED 2022-04-05 某超市           a visit of the notice that no case owns
    REL 病例44 in_law 弟媳             a relation of the current case

Every record's span is its line.
"""
from __future__ import annotations

import datetime as dt
import os

from casedb.records import Case, Notice, Relation, SourceText, Visit


def notice_text(city: str, published: str, *cases: str) -> str:
    """Build a document: ``cases`` are blocks of CASE/VISIT/... lines."""
    return "\n".join([f"NOTICE {city} {published}", *cases]) + "\n"


def parse(source: SourceText) -> list[Notice]:
    notices: list[Notice] = []
    offset = 0
    for line in source.text.splitlines(keepends=True):
        span = (offset, offset + len(line.rstrip("\n")))
        offset += len(line)
        word, *fields = line.split() or [""]
        if word == "NOTICE":
            city, published = fields
            notices.append(Notice(city=None if city == "-" else city, span=span,
                                  published=None if published == "-" else dt.date.fromisoformat(published)))
        elif word == "CASE":
            label, series, number, sex, age = fields
            notices[-1].cases.append(Case(label=label, series=series, number=int(number), sex=sex, age=int(age),
                                          category="confirmed", span=span))
        elif word == "VISIT":
            date, clock, place, *activity = fields
            day = dt.date.fromisoformat(date)
            start = None if clock == "-" else dt.datetime.combine(day, dt.time.fromisoformat(clock))
            notices[-1].cases[-1].visits.append(Visit(kind="visit", date=day, start=start, place=place,
                                                      activity=activity[0] if activity else None, span=span))
        elif word == "RIDE":
            day = dt.date.fromisoformat(fields[0])
            notices[-1].cases[-1].visits.append(Visit(kind="transit", date=day, place=fields[1],
                                                      vehicle=fields[1], span=span))
        elif word == "HOME":
            first, last = map(dt.date.fromisoformat, fields)
            notices[-1].cases[-1].visits.append(Visit(kind="home", date=first, end_date=last, span=span))
        elif word == "SHARED":
            notices[-1].unattributed_visits.append(
                Visit(kind="visit", date=dt.date.fromisoformat(fields[0]), place=fields[1], span=span))
        elif word == "REL":
            other, kind, phrase = fields
            notices[-1].cases[-1].relations.append(Relation(other=other, kind=kind, phrase=phrase, span=span))
    return notices


def parse_noting_process(source: SourceText) -> list[Notice]:
    """``parse``, with the id of the process that parsed as each notice's issuer."""
    notices = parse(source)
    for notice in notices:
        notice.issuer = str(os.getpid())
    return notices
