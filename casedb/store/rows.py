"""A parsed document's rows, built where it was parsed (a pool worker) with everything that needs no
database: stable keys, place keys and new-place columns (normalise, locate, categorise), residence
divisions, person keys, label keys, spans. The writer adds only what the database decides (ids, the
person and place ids, the document id) to each row: see :func:`casedb.store.write.write_documents`.

The rows are plain tuples (cheap to pickle: a worker hands over tuples, not a tree of dataclasses) of
values as they are stored: dates and times as the text SQLAlchemy writes in SQLite (PostgreSQL's COPY
reads the same dates and times from it), so that the writer passes them on unconverted. They are in the
writer's column order (``casedb.store.parsed.NOTICE_ROW``, ``CASE_ROW``, ``VISIT_ROW``, ``RELATION_ROW``
follow the columns the writer puts first; a case, visit or relation row starts with ``CASE_HEAD``… instead of
those), and in the order the writer gives ids: notices; cases; each
case's visits in turn, then each notice's unattributed visits; relations.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

from casedb import records
from casedb.grammar.labels import label_key
from casedb.places import normalise_place, place_values, residence_columns
from casedb.read import to_simplified
from casedb.store.keys import DateTexts, KeyMaker
from casedb.store.parsed import PLACE_NAME_WIDTH, DocumentRows, rows_digest

_DIGIT = re.compile(r"\d")


def identifies_a_place(kind: str, numbered: bool) -> bool:
    """Whether a visit of ``kind`` with a place (``numbered``: a number is written in it) names a place:
    visits do; rides only when a number names the vehicle (D2424次列车, not 出租车); home days never."""
    return kind != "home" and (kind != "transit" or numbered)


def stored_city(city: str | None) -> str | None:
    """A notice's city as stored: simplified, so that a city is one city whatever script the page uses
    (廣州市 → 广州市; the extract JSON keeps the page's own spelling)."""
    return to_simplified(city) if city else city


# Places recur across visits and notices: normalise each (spelling, city) once, and compute a place's
# columns once per process.
normalised = functools.lru_cache(maxsize=65536)(normalise_place)
#: A relation's other case as (series, number): the same labels recur across relations and documents.
_label_key = functools.lru_cache(maxsize=16384)(label_key)


def _as_written(text: str, written: str) -> str:
    """``text``, or the string ``written`` where it is equal to it: pickle hands each string object over once, and
    a place's key and name are mostly its spelling."""
    return written if text == written else text


def place_key(name: str, city: str | None) -> tuple[str, str]:
    """(normalised name, city): the ``places`` identity; "" for an unknown city."""
    return (_as_written(normalised(name, city).key or name, name)[:PLACE_NAME_WIDTH], city or "")


@functools.lru_cache(maxsize=65536)
def _visit_place(place: str, city: str | None) -> tuple[str, tuple[str, str], str | None, bool]:
    """A visit's place as the rows need it: the place (the first string of its spelling: one object for all
    the visits there, for pickle to hand over once), its :func:`place_key`, its qualifier (附近, 门口) and
    whether a number is written in it (a ride with one identifies a place: :func:`identifies_a_place`)."""
    return place, place_key(place, city), normalised(place, city).qualifier, bool(_DIGIT.search(place))


@functools.lru_cache(maxsize=65536)
def place_row(name: str, city: str | None) -> tuple:
    """The other columns of a new ``places`` row (``casedb.store.parsed.PLACE_ROW``): ``casedb.places.place_columns``
    from the name normalised once (``tests/test_store_rows.py`` checks that they agree)."""
    place = normalised(name, city)
    return (_as_written(place.name or name, name), *place_values(place, city))


@functools.lru_cache(maxsize=16384)
def _residence(residence: str, city: str | None) -> tuple:
    columns = residence_columns(residence, city)
    return columns["residence_district"], columns["residence_adcode"]


def person_key(notice: records.Notice, case: records.Case) -> tuple | None:
    """(city, year published, series, number, scope), only when all are known: different cities never
    merge, nor different years (numbering restarts with each outbreak), nor numbers of different scopes
    (the city's, a day's, a district's: ``Case.number_scope``); a number counted within its notice only
    (a day's list whose day is not known) names no person."""
    if (notice.city and notice.published and case.series and case.number is not None
            and case.number_scope != records.IN_NOTICE):
        return (notice.city, notice.published.year, case.series, case.number, case.number_scope)
    return None


def date_text(value: dt.date | None) -> str | None:
    """A ``Date`` column's value as stored: "YYYY-MM-DD" (the day of a datetime)."""
    if value is None:
        return None
    return (value if type(value) is dt.date else dt.date(value.year, value.month, value.day)).isoformat()


def datetime_text(value: dt.datetime | None) -> str | None:
    """A ``DateTime`` column's value as stored: "YYYY-MM-DD HH:MM:SS.ffffff" (no time zone; midnight for a date)."""
    if value is None:
        return None
    if type(value) is dt.date:
        value = dt.datetime(value.year, value.month, value.day)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


#: Dates and times as stored, each text made once per process.
_DATES, _DATETIMES = DateTexts(date_text), DateTexts(datetime_text)


#: The span columns of a row without a span.
_NO_SPAN = (None, None)


def document_rows(source: str, notices: list[records.Notice]) -> DocumentRows:
    """The rows of a document's ``notices`` (their cities are set to the stored spelling, as
    :func:`stored_city`), keyed for the document ``source``."""
    for notice in notices:
        notice.city = stored_city(notice.city)
    keys = KeyMaker(source)
    dates, datetimes = _DATES, _DATETIMES
    notice_rows = [(n.title, n.number, n.issuer, n.city, dates[n.published], n.year_in_text, *(n.span or _NO_SPAN))
                   for n in notices]
    notice_keys = [keys.notice(n) for n in notices]
    case_rows, visit_rows, relation_rows = [], [], []
    labels, numbers = set(), set()
    # (place key, place as written) of each visit that identifies a place, notice by notice
    named: list[list[tuple]] = [[] for _ in notices]

    def visit_row(parent_key: str, case_index: int | None, notice_index: int, city, visit: records.Visit) -> tuple:
        place = visit.place
        if place:
            place, key, qualifier, numbered = _visit_place(place, city)
            if identifies_a_place(visit.kind, numbered):
                named[notice_index].append((key, place))
            else:
                key = None
        else:
            key = qualifier = None
        span = visit.span or _NO_SPAN
        return (case_index, notice_index, key,
                keys.visit(parent_key, visit), visit.kind, dates[visit.date], dates[visit.end_date],
                datetimes[visit.start], datetimes[visit.end],
                visit.part_of_day, place, qualifier, visit.activity,
                visit.vehicle, visit.year_inferred, span[0], span[1])

    for notice_index, (notice, notice_key) in enumerate(zip(notices, notice_keys)):
        city = notice.city
        for case in notice.cases:
            case_index, case_key = len(case_rows), keys.case(notice_key, case)
            district, adcode = _residence(case.residence, city) if case.residence else (None, None)
            case_rows.append((
                notice_index, person_key(notice, case),
                case_key, case.label, case.series, case.number, case.sex, case.age, case.category, case.occupation,
                case.residence, district, adcode, dates[case.isolation_date], dates[case.positive_date],
                dates[case.onset_date], case.symptoms, case.year_inferred, case.exposure, case.exposure_origin,
                dates[case.exposure_date],
                case.discovery, case.discovery_phrase, case.hospital, case.diagnosis, case.number_scope,
                *(case.span or _NO_SPAN)))
            if case.label is not None:
                labels.add(case.label)
            if case.number is not None:
                numbers.add(case.number)
            visit_rows += [visit_row(case_key, case_index, notice_index, city, v) for v in case.visits]
            for r in case.relations:
                other = _label_key(r.other)
                relation_rows.append((
                    case_index,
                    keys.relation(case_key, r), r.other, other[0] if other else None, other[1] if other else None,
                    r.other_scope, r.kind, r.phrase, *(r.span or _NO_SPAN)))
    for notice_index, (notice, notice_key) in enumerate(zip(notices, notice_keys)):
        visit_rows += [visit_row(notice_key, None, notice_index, notice.city, v) for v in notice.unattributed_visits]
    places = {}   # a new place is named by the document's last visit there (notice by notice)
    for notice, of_notice in zip(notices, named):
        city = notice.city
        for key, place in of_notice:
            places[key] = place, city
    place_rows = {key: place_row(*name_city) for key, name_city in places.items()}
    return DocumentRows(
        notices=notice_rows, cases=case_rows, visits=visit_rows, relations=relation_rows, places=place_rows,
        labels=labels, numbers=numbers, cities={n.city for n in notices if n.city},
        digest=rows_digest(notice_rows, case_rows, visit_rows, relation_rows, place_rows))
