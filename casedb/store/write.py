"""Writing one document and the rows parsed from it, in one transaction.

A new or revised document replaces every row that came from its previous version; the previous
text is kept in ``document_versions``. Places and persons are shared registries, filled with
"insert if missing" upserts that are safe when several processes load at once (SQLite serialises
writers with ``BEGIN IMMEDIATE``; PostgreSQL's ``ON CONFLICT DO NOTHING`` waits for the other
transaction). Keys are always taken in sorted order, so two writers cannot deadlock on them.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import time

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, OperationalError

from casedb import records
from casedb.grammar.labels import label_key
from casedb.places import normalise_place, place_columns, residence_columns
from casedb.store.engine import in_chunks, write_transaction
from casedb.store.models import (
    Case, Document, DocumentVersion, Notice, Person, Place, Relation, Visit, utcnow,
)
from casedb.store.parsed import ParsedDocument, RowCounts

documents, versions = Document.__table__, DocumentVersion.__table__
notices_t, cases_t, visits_t, relations_t = Notice.__table__, Case.__table__, Visit.__table__, Relation.__table__
persons_t, places_t = Person.__table__, Place.__table__

#: PostgreSQL errors after which a document's transaction is simply tried again.
RETRYABLE_SQLSTATES = {"40001", "40P01", "23503", "23505"}  # serialization, deadlock, FK / unique race
MAX_ATTEMPTS = 6


def identifies_a_place(visit: records.Visit) -> bool:
    """Visits name a place; rides only when a number names the vehicle (D2424次列车, not 出租车)."""
    if not visit.place or visit.kind == "home":
        return False
    return visit.kind != "transit" or bool(re.search(r"\d", visit.place))


def write_with_retry(engine: Engine, write, *args):
    """Run ``write(connection, *args)`` in a transaction, retrying when a concurrent writer got in the way."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with write_transaction(engine) as connection:
                return write(connection, *args)
        except (OperationalError, DBAPIError) as err:
            if attempt == MAX_ATTEMPTS or not _is_retryable(err):
                raise
            time.sleep(0.05 * 2 ** attempt)


def _is_retryable(err: DBAPIError) -> bool:
    sqlstate = getattr(err.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in RETRYABLE_SQLSTATES
    return "database is locked" in str(err.orig)


def _insert(connection: Connection, table):
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def write_document(connection: Connection, parsed: ParsedDocument, parser_version: str,
                   reparse: bool = False) -> tuple[str, RowCounts]:
    """Store ``parsed`` and its rows; returns (outcome, rows written).

    outcome: ``new``, ``changed`` (new bytes), ``reparsed`` (same bytes, ``reparse=True``) or
    ``unchanged`` (another process stored these bytes first: nothing written).
    """
    now = utcnow()
    source_text = parsed.text
    document_values = dict(
        sha256=parsed.sha256, size_bytes=parsed.size_bytes, encoding=source_text.encoding,
        media_type=source_text.media_type, text=source_text.text, last_seen=now, source_present=True,
        parser_version=parser_version)
    if not reparse:  # a re-parse keeps where the bytes came from
        document_values.update(manifest=parsed.manifest, fetched_at=parsed.fetched_at)
    document_id = connection.execute(
        _insert(connection, documents)
        .values(source=parsed.source, first_seen=now, changed_at=now, **document_values)
        .on_conflict_do_nothing(index_elements=["source"]).returning(documents.c.id)).scalar()
    outcome, old_names = "new", (set(), set())
    if document_id is None:
        stored = connection.execute(
            select(documents.c.id, documents.c.sha256, documents.c.text, documents.c.changed_at,
                   documents.c.parser_version)
            .where(documents.c.source == parsed.source).with_for_update()).one()
        document_id = stored.id
        if stored.sha256 == parsed.sha256 and not reparse:
            connection.execute(update(documents).where(documents.c.id == document_id)
                               .values(last_seen=now, source_present=True))
            return "unchanged", RowCounts()
        outcome = "reparsed" if stored.sha256 == parsed.sha256 else "changed"
        old_names = _remove_rows(connection, document_id, stored, archive=outcome == "changed", now=now)
        if outcome == "changed":
            document_values["changed_at"] = now
        connection.execute(update(documents).where(documents.c.id == document_id).values(**document_values))
    counts = _insert_rows(connection, document_id, parsed.notices, parser_version)
    _link_relations(connection, document_id, old_names)
    return outcome, counts


def _remove_rows(connection: Connection, document_id: int, stored, archive: bool, now: dt.datetime) -> set[str]:
    """Delete the rows of a document's previous version (archiving its text when the bytes changed).

    Returns the case labels it had, so relations from other documents that pointed at them get relinked.
    """
    of_document = cases_t.c.document_id == document_id
    old_names = _case_names(connection, document_id)
    if archive:
        counts = {name: connection.execute(select(func.count()).select_from(table)
                                           .where(table.c.document_id == document_id)).scalar()
                  for name, table in (("cases_count", cases_t), ("visits_count", visits_t),
                                      ("relations_count", relations_t))}
        connection.execute(versions.insert().values(
            document_id=document_id, sha256=stored.sha256, text=stored.text, first_seen=stored.changed_at,
            superseded_at=now, parser_version=stored.parser_version, **counts))
    connection.execute(update(relations_t)
                       .where(relations_t.c.other_case_id.in_(select(cases_t.c.id).where(of_document)))
                       .values(other_case_id=None))
    for table in (relations_t, visits_t, cases_t, notices_t):
        connection.execute(delete(table).where(table.c.document_id == document_id))
    return old_names


def _insert_rows(connection: Connection, document_id: int, notices: list[records.Notice],
                 parser_version: str) -> RowCounts:
    counts = RowCounts()
    if not notices:
        return counts
    common = dict(document_id=document_id, parser_version=parser_version)
    notice_ids = _insert_returning_ids(connection, notices_t, [
        dict(common, title=n.title, number=n.number, issuer=n.issuer, city=n.city, published=n.published,
             year_in_text=n.year_in_text, **_span(n.span)) for n in notices])
    counts.notices = len(notice_ids)

    person_ids = _upsert_registry(connection, persons_t, ("city", "year", "series", "number"), {
        person_key: {} for n in notices for c in n.cases if (person_key := _person_key(n, c))})
    known_as = _stored_descriptions(connection, set(person_ids.values()))
    place_ids = _upsert_registry(connection, places_t, ("normalised_name", "city"), {
        _place_key(n, v): _place_row(n, v) for n in notices for v in _all_visits(n) if identifies_a_place(v)})

    case_rows, case_owners = [], []
    for notice, notice_id in zip(notices, notice_ids):
        for case in notice.cases:
            case_rows.append(dict(
                common, notice_id=notice_id, label=case.label, series=case.series, number=case.number,
                sex=case.sex, age=case.age, category=case.category, occupation=case.occupation,
                residence=case.residence, **residence_columns(case.residence, notice.city),
                isolation_date=case.isolation_date, positive_date=case.positive_date,
                diagnosis=case.diagnosis, person_id=_person_id(notice, case, person_ids, known_as),
                **_span(case.span)))
            case_owners.append((notice, notice_id, case))
    case_ids = _insert_returning_ids(connection, cases_t, case_rows)
    counts.cases = len(case_ids)

    visit_rows, relation_rows = [], []
    for (notice, notice_id, case), case_id in zip(case_owners, case_ids):
        visit_rows += [_visit_row(common, notice, notice_id, case_id, v, place_ids) for v in case.visits]
        relation_rows += [dict(common, case_id=case_id, other_label=r.other, **_label_key_columns(r.other),
                               kind=r.kind, phrase=r.phrase,
                               **_span(r.span)) for r in case.relations]
    for notice, notice_id in zip(notices, notice_ids):
        visit_rows += [_visit_row(common, notice, notice_id, None, v, place_ids) for v in notice.unattributed_visits]
    if visit_rows:
        connection.execute(visits_t.insert(), visit_rows)
    if relation_rows:
        connection.execute(relations_t.insert(), relation_rows)
    counts.visits, counts.relations = len(visit_rows), len(relation_rows)
    return counts


def _visit_row(common: dict, notice: records.Notice, notice_id: int, case_id: int | None,
               visit: records.Visit, place_ids: dict) -> dict:
    place_id = place_ids[_place_key(notice, visit)] if identifies_a_place(visit) else None
    return dict(common, case_id=case_id, notice_id=notice_id, place_id=place_id, kind=visit.kind,
                date=visit.date, end_date=visit.end_date, start=visit.start, end=visit.end,
                part_of_day=visit.part_of_day, place_text=visit.place,
                place_qualifier=_normalised(visit.place, notice.city).qualifier if visit.place else None,
                activity=visit.activity,
                vehicle=visit.vehicle, **_span(visit.span))


def _all_visits(notice: records.Notice):
    for case in notice.cases:
        yield from case.visits
    yield from notice.unattributed_visits


def _span(span) -> dict:
    return {"span_start": span[0] if span else None, "span_end": span[1] if span else None}


def _person_key(notice: records.Notice, case: records.Case) -> tuple | None:
    """(city, year published, series, number), only when all are known: different cities never
    merge, nor different years (numbering restarts with each outbreak)."""
    if notice.city and notice.published and case.series and case.number is not None:
        return (notice.city, notice.published.year, case.series, case.number)
    return None


def _stored_descriptions(connection: Connection, person_ids: set[int]) -> dict[int, list[tuple]]:
    """{person id: [(sex, age) of each case already linked to it]}."""
    described: dict[int, list[tuple]] = {}
    if person_ids:
        for person_id, sex, age in connection.execute(
                select(cases_t.c.person_id, cases_t.c.sex, cases_t.c.age)
                .where(cases_t.c.person_id.in_(sorted(person_ids)))):
            described.setdefault(person_id, []).append((sex, age))
    return described


def _person_id(notice: records.Notice, case: records.Case, person_ids: dict, known_as: dict) -> int | None:
    """The person of a case, unless a case already linked to that person has another sex or an age
    more than a year apart (then the same label names someone else: no person rather than a wrong one)."""
    person_id = person_ids.get(_person_key(notice, case))
    for sex, age in known_as.get(person_id, ()):
        if (sex and case.sex and sex != case.sex) or (age is not None and case.age is not None
                                                      and abs(age - case.age) > 1):
            return None
    return person_id


def _place_key(notice: records.Notice, visit: records.Visit) -> tuple[str, str]:
    """(normalised name, city): the ``places`` identity; "" for an unknown city.

    The name is cut to its column's width: a junk "place" (an OCR run without punctuation) must not
    make PostgreSQL refuse the whole document.
    """
    name = _normalised(visit.place, notice.city).key or visit.place
    return (name[:places_t.c.normalised_name.type.length], notice.city or "")


def _place_row(notice: records.Notice, visit: records.Visit) -> dict:
    """The other columns of a new ``places`` row (its cleaned name, division, category)."""
    columns = dict(_place_columns(visit.place, notice.city))
    del columns["normalised_name"]
    return dict(columns, name=_normalised(visit.place, notice.city).name or visit.place)


# Places recur across visits and notices: normalise each (spelling, city) once.
_normalised = functools.lru_cache(maxsize=8192)(normalise_place)
_place_columns = functools.lru_cache(maxsize=8192)(place_columns)


def _insert_returning_ids(connection: Connection, table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` in one batched statement; their new ids, in the order of ``rows``."""
    if not rows:
        return []
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return list(connection.execute(statement, rows).scalars())


def _upsert_registry(connection: Connection, table, key_columns: tuple[str, ...],
                     wanted: dict[tuple, dict]) -> dict[tuple, int]:
    """Ids of the registry rows with these keys, inserting the missing ones (concurrency-safe).

    ``wanted`` maps each key to the other columns of its row, or to a function that computes them
    (called only for keys that are not stored yet)."""
    if not wanted:
        return {}
    ids = _lookup_keys(connection, table, key_columns, sorted(wanted))
    missing = sorted(k for k in wanted if k not in ids)
    if missing:
        connection.execute(_insert(connection, table).on_conflict_do_nothing(index_elements=list(key_columns)),
                           [dict(zip(key_columns, k), **(v() if callable(v := wanted[k]) else v)) for k in missing])
        ids.update(_lookup_keys(connection, table, key_columns, missing))
    return ids


def _values_join(connection: Connection, table_sql: str, key_columns: tuple[str, ...], n_keys: int) -> str:
    """``FROM (VALUES (?, ?), …) AS k CROSS JOIN <table> WHERE <table>.a = k.column1 AND …``: one
    index search per key. (SQLite 3.40 does not use an index for ``WHERE (a, b) IN (VALUES …)`` and
    scans the whole table; CROSS JOIN makes SQLite take the keys as the outer loop.)"""
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    row = "(" + ", ".join([mark] * len(key_columns)) + ")"
    on = " AND ".join(f"t.{name} = k.column{i}" for i, name in enumerate(key_columns, 1))
    return f"FROM (VALUES {', '.join([row] * n_keys)}) AS k CROSS JOIN {table_sql} AS t WHERE {on}"


def _lookup_keys(connection: Connection, table, key_columns: tuple[str, ...], keys: list[tuple]) -> dict[tuple, int]:
    """{key: id} of the stored rows of ``table`` with these keys (an index search per key)."""
    found = {}
    columns = ", ".join(f"t.{name}" for name in key_columns)
    for chunk in in_chunks(keys):
        sql = f"SELECT t.id, {columns} " + _values_join(connection, table.name, key_columns, len(chunk))
        for row in connection.exec_driver_sql(sql, tuple(value for key in chunk for value in key)):
            found[tuple(row[1:])] = row[0]
    return found


#: Point each unlinked relation at the case it names (by label, or by series and number so that
#: 确诊病例12 finds 病例12): in the same notice first, else the most
#: recently published case with that label in the same city (never across cities).
_LINK_RELATIONS = text("""
UPDATE relations SET other_case_id = (
    SELECT target.id
    FROM cases target
    JOIN notices target_notice ON target_notice.id = target.notice_id
    JOIN cases owner ON owner.id = relations.case_id
    JOIN notices owner_notice ON owner_notice.id = owner.notice_id
    WHERE (target.label = relations.other_label
           OR (target.number = relations.other_number AND target.series = relations.other_series))
      AND target.id <> owner.id
      AND (target.notice_id = owner.notice_id
           OR (owner_notice.city <> '' AND target_notice.city = owner_notice.city))
    ORDER BY CASE WHEN target.notice_id = owner.notice_id THEN 0 ELSE 1 END,
             CASE WHEN target_notice.published IS NULL THEN 1 ELSE 0 END,
             target_notice.published DESC, target.id DESC
    LIMIT 1)
WHERE other_case_id IS NULL
  AND id IN (SELECT id FROM relations WHERE document_id = :document_id
             UNION ALL SELECT id FROM relations WHERE other_label IN :labels
             UNION ALL SELECT id FROM relations WHERE other_number IN :numbers)
""").bindparams(bindparam("labels", expanding=True), bindparam("numbers", expanding=True))


def _label_key_columns(label: str) -> dict:
    key = label_key(label)
    return {"other_series": key[0] if key else None, "other_number": key[1] if key else None}


def _case_names(connection: Connection, document_id: int) -> tuple[set[str], set[int]]:
    """The labels and case numbers of a document's cases."""
    rows = connection.execute(select(cases_t.c.label, cases_t.c.number)
                              .where(cases_t.c.document_id == document_id)).all()
    return ({label for label, _ in rows if label is not None},
            {number for _, number in rows if number is not None})


def _link_relations(connection: Connection, document_id: int, old_names: tuple[set[str], set[int]]) -> None:
    """Link this document's relations, and other documents' relations to cases it has or had."""
    labels, numbers = _case_names(connection, document_id)
    connection.execute(_LINK_RELATIONS, {"document_id": document_id,
                                         "labels": sorted(labels | old_names[0]) or [""],
                                         "numbers": sorted(numbers | old_names[1]) or [-1]})