"""Writing documents and the rows parsed from them, several whole documents to a transaction.

A document's rows come as tuples built where it was parsed (``casedb.store.rows``: keys, place keys and
columns, person keys); the writer adds the ids it assigns or looks up, and each table gets one
``executemany`` (COPY on PostgreSQL). The person and place registries are looked up by joining the list of
wanted keys to the table (one index search per key, on SQLite and PostgreSQL), and relations are linked through the
indexes on case labels and numbers: no statement scans a table (``tests/test_store_work.py`` checks
the query plans), so a document costs index searches for its own keys, labels and case numbers
whatever the size of the database.

A new or revised document replaces every row that came from its previous version; the previous
text is kept in ``document_versions``. Places and persons are shared registries, filled with
"insert if missing" upserts that are safe when several processes load at once: SQLite serialises
writers with ``BEGIN IMMEDIATE`` (a key found missing stays missing until the writer inserts it),
PostgreSQL with an advisory lock (``WRITER_LOCK``), and its upserts use ``ON CONFLICT DO NOTHING`` with
keys taken in sorted order. Relation links are a function of the stored rows, not of the order
documents were written in (``_LINK_RELATIONS_SQL``).
"""
from __future__ import annotations

import datetime as dt
import functools
import operator
import time
from itertools import chain, islice
from typing import NamedTuple

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from casedb.store.engine import in_chunks, write_transaction
from casedb.store import models
from casedb.store.models import utcnow
from casedb.store.parsed import (
    CASE_HEAD, CASE_ROW, NOTICE_ROW, PLACE_ROW, RELATION_HEAD, RELATION_ROW, VISIT_HEAD, VISIT_ROW, DocumentRows,
    ParsedDocument, RowCounts,
)

documents, versions = models.documents, models.document_versions
notices_t, cases_t, visits_t, relations_t = models.notices, models.cases, models.visits, models.relations
persons_t, places_t = models.persons, models.places

#: The PostgreSQL advisory lock (transaction-level) that serialises casedb's writers: "casedb" in ASCII.
WRITER_LOCK = 0x636173656462
#: PostgreSQL errors after which a document's transaction is simply tried again.
RETRYABLE_SQLSTATES = {"40001", "40P01", "23503", "23505"}  # serialization, deadlock, FK / unique race
MAX_ATTEMPTS = 6


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


@functools.lru_cache(maxsize=None)
def _document_insert(dialect: str):
    """The INSERT of a new ``documents`` row, returning its id (none when its source is stored already): one
    statement object per dialect, its columns given by the parameters, so SQLAlchemy compiles it once. (The
    dialect's module is imported here: SQLAlchemy's PostgreSQL dialect took 0.07 s to import in a SQLite load.)"""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(documents).on_conflict_do_nothing(index_elements=["source"]).returning(documents.c.id)


# The statements run once per stored document that is written again (a re-parse, a revision), built once with
# bound parameters (``of_document``: its id): building them per document (expressions, cache keys) cost about a
# fifth of a reparse's writer.
_OF_DOCUMENT = bindparam("of_document")
_STORED_DOCUMENT = (select(documents.c.id, documents.c.sha256, documents.c.text, documents.c.changed_at,
                           documents.c.parser_version)
                    .where(documents.c.source == bindparam("source")).with_for_update())
#: What a re-parse checks of a stored document before replacing its rows (not its text, which it does not rewrite).
_REPARSED_DOCUMENT = (select(documents.c.id, documents.c.sha256, documents.c.rows_digest)
                      .where(documents.c.source == bindparam("source")).with_for_update())
#: The stored documents whose old rows a group removes together (:func:`_remove_rows`).
_OF_DOCUMENTS = bindparam("of_documents", expanding=True)
_OLD_CASES = (select(cases_t.c.document_id, cases_t.c.label, cases_t.c.number, notices_t.c.city, cases_t.c.person_id,
                     cases_t.c.sex, cases_t.c.age, cases_t.c.residence_district)
              .join(notices_t, notices_t.c.id == cases_t.c.notice_id)
              .where(cases_t.c.document_id.in_(_OF_DOCUMENTS)))
_UNLINK_RELATIONS_TO_DOCUMENTS = (update(relations_t)
                                  .where(relations_t.c.other_case_id.in_(
                                      select(cases_t.c.id).where(cases_t.c.document_id.in_(_OF_DOCUMENTS))))
                                  .values(other_case_id=None))
#: The tables of a document's rows, in the order they are deleted (relations and visits point at cases, cases at
#: notices).
_ROW_TABLES = (relations_t, visits_t, cases_t, notices_t)
_DELETE_ROWS = tuple(delete(table).where(table.c.document_id.in_(_OF_DOCUMENTS)) for table in _ROW_TABLES)

#: A re-parse that gives a group of documents the rows they have keeps them, ids included, and sets the parser
#: version of the documents and their rows (not indexed: no index entry moves, where deleting and inserting the rows
#: again removed and added each).
_NEW_PARSER_VERSION = {"parser_version": bindparam("new_parser_version")}
_KEEP_ROWS = (update(documents).where(documents.c.id.in_(_OF_DOCUMENTS)).values(_NEW_PARSER_VERSION),
              *(update(table).where(table.c.document_id.in_(_OF_DOCUMENTS)).values(_NEW_PARSER_VERSION)
                for table in _ROW_TABLES))

#: The UPDATE of a stored ``documents`` row: the columns set are those its other parameters name.
_UPDATE_DOCUMENT = update(documents).where(documents.c.id == _OF_DOCUMENT)


def write_document(connection: Connection, parsed: ParsedDocument, parser_version: str,
                   reparse: bool = False) -> tuple[str, RowCounts]:
    """Store ``parsed`` and its rows; returns (outcome, rows written). See :func:`write_documents`."""
    return write_documents(connection, [parsed], parser_version, reparse)[0]


def write_documents(connection: Connection, batch: list[ParsedDocument], parser_version: str,
                    reparse: bool = False) -> list[tuple[str, RowCounts]]:
    """Store the documents of ``batch`` and their rows, in the caller's transaction (so all or none
    of them); returns (outcome, rows written) of each, in order.

    outcome: ``new``, ``changed`` (new bytes), ``reparsed`` (``reparse=True``: the stored text parsed again, its rows
    replaced; nothing else of the document changes), ``kept`` (the same, but its rows came out as stored,
    ``documents.rows_digest``: they are kept, ids included, with the new parser version) or ``unchanged`` (another
    process stored these bytes first or, in a re-parse, has revised the document since it was read: nothing written).

    The rows of consecutive documents are written together (ids assigned here, one ``executemany``
    or COPY per table), and relations are then linked once for the group (links depend on the
    stored rows only, so a group links as its documents would one at a time, in any order). A
    revised or re-parsed document's old rows are removed with its group's, before the group's rows are
    written (one statement per table), and the persons check of the documents before it still counts
    its old cases, as one at a time; only a document met twice in a batch ends the group before it.

    On PostgreSQL the transaction first takes an advisory lock that other casedb writers wait for
    (SQLite's ``BEGIN IMMEDIATE`` does the same): a writer linking relations must see every case
    committed before it, and a writer that commits a case must find the relations that name it, or
    two concurrent loads would leave those relations unlinked for good.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": WRITER_LOCK})
    results: list = [None] * len(batch)
    group: list[_Pending] = []
    kept: list[int] = []     # re-parsed documents whose rows came out as stored: only their parser version changes
    for index, parsed in enumerate(batch):
        rows = rows_of(parsed)
        if reparse:   # the stored text was parsed again: only its rows and their parser version change
            stored = connection.execute(_REPARSED_DOCUMENT, {"source": parsed.source}).one_or_none()
            if stored is None or stored.sha256 != parsed.sha256:   # revised since it was read: the load that did
                results[index] = ("unchanged", RowCounts())        # so wrote its rows
                continue
            if stored.rows_digest == rows.digest and stored.id not in kept:
                kept.append(stored.id)
                results[index] = ("kept", _counts(rows))
                continue
            document_id, outcome = stored.id, "reparsed"
            document_values = {"parser_version": parser_version, "rows_digest": rows.digest}
        else:
            now = utcnow()
            source_text = parsed.text
            document_values = dict(
                sha256=parsed.sha256, size_bytes=parsed.size_bytes, encoding=source_text.encoding,
                media_type=source_text.media_type, text=source_text.text, last_seen=now, source_present=True,
                parser_version=parser_version, manifest=parsed.manifest, fetched_at=parsed.fetched_at,
                rows_digest=rows.digest)
            document_id = connection.execute(_document_insert(connection.dialect.name), dict(
                source=parsed.source, first_seen=now, changed_at=now, **document_values)).scalar()
            outcome = "new"
            if document_id is None:
                stored = connection.execute(_STORED_DOCUMENT, {"source": parsed.source}).one()
                document_id = stored.id
                if stored.sha256 == parsed.sha256:
                    connection.execute(_UPDATE_DOCUMENT,
                                       {"of_document": document_id, "last_seen": now, "source_present": True})
                    results[index] = ("unchanged", RowCounts())
                    continue
                outcome = "changed"
        if outcome != "new":
            if any(pending.document_id == document_id for pending in group):  # its rows are not written yet
                _write_group(connection, group, parser_version, results)
                group = []
            if outcome == "changed":
                _archive(connection, document_id, stored, now)
                document_values["changed_at"] = now
            connection.execute(_UPDATE_DOCUMENT, {"of_document": document_id, **document_values})
        group.append(_Pending(index, document_id, parsed, outcome))
    _write_group(connection, group, parser_version, results)
    if kept:
        for statement in _KEEP_ROWS:
            connection.execute(statement, {"of_documents": kept, "new_parser_version": parser_version})
    return results


def _counts(rows: DocumentRows) -> RowCounts:
    return RowCounts(len(rows.notices), len(rows.cases), len(rows.visits), len(rows.relations))


class _Pending(NamedTuple):
    """A document whose row is written and whose parsed rows are still to be (and, when it was stored before, its old
    rows still to be removed: :func:`_write_group` removes those of the whole group first, :func:`_remove_rows`)."""

    index: int                  # in the batch
    document_id: int
    parsed: ParsedDocument
    outcome: str


class _OldRows(NamedTuple):
    """The removed cases of a revised or re-parsed document."""

    labels: set[str]            # relations naming them are linked again
    numbers: set[int]
    cities: set[str]            # of their notices: only relations of these cities can have named them
    described: tuple[tuple[int, tuple], ...]   # (person id, (sex, age, district)) of those linked to a person


#: What a new document's removed cases were.
_NO_OLD_ROWS = _OldRows(frozenset(), frozenset(), frozenset(), ())


def _archive(connection: Connection, document_id: int, stored, now: dt.datetime) -> None:
    """Keep the text of a document's previous version (its bytes changed) in ``document_versions``, with the counts
    of the rows it had."""
    counts = {name: connection.execute(select(func.count()).select_from(table)
                                       .where(table.c.document_id == document_id)).scalar()
              for name, table in (("cases_count", cases_t), ("visits_count", visits_t),
                                  ("relations_count", relations_t))}
    connection.execute(versions.insert().values(
        document_id=document_id, sha256=stored.sha256, text=stored.text, first_seen=stored.changed_at,
        superseded_at=now, parser_version=stored.parser_version, **counts))


def _remove_rows(connection: Connection, group: list[_Pending]) -> list[_OldRows]:
    """Delete the rows of the previous versions of the group's documents that were stored before (a revision, a
    re-parse), all in one statement per table; returns what each document's removed cases were, in the group's order,
    so that relations from other documents that pointed at them get relinked and the persons check of earlier
    documents in the same group still sees them, as when each document was written alone."""
    stored = [pending.document_id for pending in group if pending.outcome != "new"]
    if not stored:
        return [_NO_OLD_ROWS] * len(group)
    old_cases: dict[int, list] = {}
    for document_id, *case in connection.execute(_OLD_CASES, {"of_documents": stored}):
        old_cases.setdefault(document_id, []).append(case)
    connection.execute(_UNLINK_RELATIONS_TO_DOCUMENTS, {"of_documents": stored})
    for statement in _DELETE_ROWS:
        connection.execute(statement, {"of_documents": stored})
    return [_NO_OLD_ROWS if pending.outcome == "new" else _old_rows(old_cases.get(pending.document_id, ()))
            for pending in group]


#: Columns written by the writer, in the order of its row tuples: what the writer decides (ids), then
#: what the parse worker built (``casedb.store.rows``).
NOTICE_COLUMNS = ("id", "document_id", "parser_version", *NOTICE_ROW)
CASE_COLUMNS = ("id", "document_id", "parser_version", "notice_id", "person_id", *CASE_ROW)
VISIT_COLUMNS = ("id", "document_id", "parser_version", "case_id", "notice_id", "place_id", *VISIT_ROW)
RELATION_COLUMNS = ("id", "document_id", "parser_version", "case_id", *RELATION_ROW)


#: The columns of a worker's case, visit and relation rows (after ``CASE_HEAD``, ``VISIT_HEAD``, ``RELATION_HEAD``).
_CASE_COLUMNS, _VISIT_COLUMNS, _RELATION_COLUMNS = (
    slice(len(head), None) for head in (CASE_HEAD, VISIT_HEAD, RELATION_HEAD))
#: A case's (sex, age, residence district) from its row (``CASE_HEAD + CASE_ROW``): what :func:`_person_id` compares.
_description = operator.itemgetter(*(len(CASE_HEAD) + CASE_ROW.index(name) for name in
                                     ("sex", "age", "residence_district")))


def rows_of(parsed: ParsedDocument) -> DocumentRows:
    """The rows of ``parsed``: as the parse worker built them, or built here from its notices."""
    if parsed.rows is None:
        from casedb.store.rows import document_rows   # (the parse workers' modules: not imported until needed)

        parsed.rows = document_rows(parsed.source, parsed.notices)
    return parsed.rows


def _write_group(connection: Connection, group: list[_Pending], parser_version: str, results: list) -> None:
    """Insert the rows of ``group`` (documents already stored, without rows) and link their relations."""
    if not group:
        return
    old_of_group = _remove_rows(connection, group)
    rows_of_group = [rows_of(pending.parsed) for pending in group]
    person_ids = _upsert_registry(connection, persons_t, ("city", "year", "series", "number", "scope"), {
        case[1]: () for rows in rows_of_group for case in rows.cases if case[1] is not None})
    known_as = _stored_descriptions(connection, set(person_ids.values()))
    for old in old_of_group:  # old cases of the group's documents, removed already: each still counts
        for person_id, description in old.described:   # until its own document comes
            known_as.setdefault(person_id, []).append(description)
    # the row of a new place: from the first document that names it (its last visit there, as when
    # each document was written alone)
    chosen: dict[tuple, tuple] = {}
    for rows in rows_of_group:
        for key, row in rows.places.items():
            chosen.setdefault(key, row)
    place_ids = _upsert_registry(connection, places_t, ("normalised_name", "city"), chosen, PLACE_ROW)

    notice_ids, case_ids, visit_ids, relation_ids = (
        iter(_new_ids(connection, table, sum(len(getattr(rows, name)) for rows in rows_of_group)))
        for table, name in ((notices_t, "notices"), (cases_t, "cases"), (visits_t, "visits"),
                            (relations_t, "relations")))
    notice_rows, case_rows, visit_rows, relation_rows = [], [], [], []
    # the case labels and numbers, and the cities of the notices, that the documents have or had
    labels, numbers, cities = set(), set(), set()
    for pending, old, rows in zip(group, old_of_group, rows_of_group):
        document_id = pending.document_id
        for person_id, description in old.described:
            known_as[person_id].remove(description)
        ids_of_notices = list(islice(notice_ids, len(rows.notices)))
        notice_rows += [(notice_id, document_id, parser_version) + row
                        for notice_id, row in zip(ids_of_notices, rows.notices)]
        # a case, visit or relation row is its head's indexes and keys (CASE_HEAD…), then its columns (CASE_ROW…):
        # the ids, then the columns sliced off (a tuple's slice and concatenation are quicker than unpacking)
        ids_of_cases, described = list(islice(case_ids, len(rows.cases))), []
        for case_id, case in zip(ids_of_cases, rows.cases):
            description = _description(case)
            person_id = _person_id(case[1], description, person_ids, known_as)
            case_rows.append((case_id, document_id, parser_version, ids_of_notices[case[0]], person_id)
                             + case[_CASE_COLUMNS])
            if person_id is not None:
                described.append((person_id, description))
        # zip(rows, ids): the rows end first, so no id is taken beyond them
        visit_rows += [(visit_id, document_id, parser_version, None if visit[0] is None else ids_of_cases[visit[0]],
                        ids_of_notices[visit[1]], None if visit[2] is None else place_ids[visit[2]])
                       + visit[_VISIT_COLUMNS]
                       for visit, visit_id in zip(rows.visits, visit_ids)]
        relation_rows += [(relation_id, document_id, parser_version, ids_of_cases[relation[0]])
                          + relation[_RELATION_COLUMNS]
                          for relation, relation_id in zip(rows.relations, relation_ids)]
        for person_id, description in described:  # the next documents see this one's cases
            known_as.setdefault(person_id, []).append(description)
        results[pending.index] = (pending.outcome, _counts(rows))
        labels |= rows.labels | old.labels
        numbers |= rows.numbers | old.numbers
        cities |= rows.cities | old.cities
    for table, columns, rows in ((notices_t, NOTICE_COLUMNS, notice_rows), (cases_t, CASE_COLUMNS, case_rows),
                                 (visits_t, VISIT_COLUMNS, visit_rows),
                                 (relations_t, RELATION_COLUMNS, relation_rows)):
        _insert_tuples(connection, table, columns, rows)
    _link_relations(connection, [pending.document_id for pending in group], labels, numbers, cities)


def _new_ids(connection: Connection, table, count: int) -> list[int]:
    """``count`` new ids for ``table``, ascending. SQLite: after the largest (the write lock is held
    since BEGIN IMMEDIATE); PostgreSQL: from the table's sequence (safe with concurrent writers)."""
    if not count:
        return []
    if connection.dialect.name == "sqlite":
        last = connection.exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar() or 0
        return list(range(last + 1, last + 1 + count))
    return sorted(connection.exec_driver_sql(
        f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, %(n)s)",
        {"n": count}).scalars())


def _insert_tuples(connection: Connection, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``, values as stored: ``casedb.store.rows``): COPY on
    PostgreSQL, executemany on SQLite (which binds a bool as the integer 1 or 0, as SQLAlchemy would)."""
    if not rows:
        return
    quoted = ", ".join(f'"{name}"' for name in columns)
    if connection.dialect.name == "postgresql":
        _copy(connection, f"COPY {table.name} ({quoted}) FROM STDIN", rows)
        return
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({quoted}) VALUES {_marks(len(columns))}", rows)


def _copy(connection: Connection, statement: str, rows: list[tuple]) -> None:
    """PostgreSQL COPY of ``rows``; a refused row raises SQLAlchemy's error (IntegrityError, DataError…)."""
    import psycopg

    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as err:
        raise DBAPIError.instance(statement, None, err, psycopg.Error,
                                  dialect=connection.dialect) from err
    finally:
        cursor.close()


def _stored_descriptions(connection: Connection, person_ids: set[int]) -> dict[int, list[tuple]]:
    """{person id: [(sex, age, residence district) of each case already linked to it]}."""
    described: dict[int, list[tuple]] = {}
    if person_ids:
        in_persons, parameters = _in_list(connection, cases_t.c.person_id, sorted(person_ids))
        for person_id, sex, age, district in connection.exec_driver_sql(
                f"SELECT person_id, sex, age, residence_district FROM cases WHERE person_id {in_persons}",
                parameters).all():
            described.setdefault(person_id, []).append((sex, age, district))
    return described


def _person_id(key: tuple | None, description: tuple, person_ids: dict, known_as: dict) -> int | None:
    """The person of a case (``key``: ``casedb.store.rows.person_key``; ``description``: its sex, age and
    residence district), unless a case already linked to that person has another sex, an age more than a
    year apart or, where both give one, another residence district (then the same label names someone
    else: no person rather than a wrong one)."""
    person_id = person_ids.get(key)
    if person_id is None:
        return None
    sex_, age_, district = description
    for sex, age, lives_in in known_as.get(person_id, ()):
        if ((sex and sex_ and sex != sex_) or (age is not None and age_ is not None and abs(age - age_) > 1)
                or (lives_in and district and lives_in != district)):
            return None
    return person_id


def _upsert_registry(connection: Connection, table, key_columns: tuple[str, ...], wanted: dict[tuple, tuple],
                     other_columns: tuple[str, ...] = ()) -> dict[tuple, int]:
    """Ids of the registry rows with these keys, inserting the missing ones (concurrency-safe).

    ``wanted`` maps each key to the values of ``other_columns`` in its row (plain values: no bind
    processing). The missing rows are inserted in the order of their keys. On SQLite, one ``executemany``
    of tuples with their ids (:func:`_new_ids`: as SQLite would give them; no other writer can insert a key
    while this one holds the write lock, so a key found missing is inserted, and a conflict is an error);
    on PostgreSQL, one INSERT of arrays unnested (in that order) that skips a key another writer has
    inserted meanwhile, and their ids are then looked up."""
    if not wanted:
        return {}
    ids = _lookup_keys(connection, table, key_columns, sorted(wanted))
    missing = sorted(k for k in wanted if k not in ids)
    if not missing:
        return ids
    columns = key_columns + other_columns
    names = ", ".join(columns)
    if connection.dialect.name == "sqlite":
        new_ids = _new_ids(connection, table, len(missing))
        connection.exec_driver_sql(f"INSERT INTO {table.name} (id, {names}) VALUES {_marks(1 + len(columns))}",
                                   [(new_id, *k, *wanted[k]) for new_id, k in zip(new_ids, missing)])
        ids.update(zip(missing, new_ids))
        return ids
    unnested, arrays = _unnest(table, columns, [k + wanted[k] for k in missing])
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {unnested} WITH ORDINALITY "
        f"AS k({names}, position) ORDER BY position ON CONFLICT ({', '.join(key_columns)}) DO NOTHING", arrays)
    ids.update(_lookup_keys(connection, table, key_columns, missing))
    return ids


# The writer writes its IN and VALUES lists itself: SQLAlchemy's expanding parameters cost a named bind per
# value. On SQLite a list is a parameter marker per value; on PostgreSQL it is one array parameter: psycopg
# reads a query's parameter markers in Python (about 1.4 µs each), and a load of 10,000 cases sent some
# 200,000 of them.
def _marks(count: int) -> str:
    """``(?, ?, …)``: ``count`` SQLite parameter markers."""
    return "(" + ", ".join(["?"] * count) + ")"


_ARRAY_TYPES = {str: "text[]", int: "bigint[]", float: "double precision[]"}


def _array_type(column) -> str:
    """The PostgreSQL type of an array parameter of ``column``'s values: ``text[]``, ``bigint[]``… (no
    length: a longer value is not cut to match, nor to fit)."""
    return _ARRAY_TYPES[column.type.python_type]


def _unnest(table, columns: tuple[str, ...], rows: list[tuple]) -> tuple[str, tuple]:
    """PostgreSQL's ``unnest(%s::type[], …)`` of ``rows`` (tuples in the order of ``columns``) and its
    parameters, one array per column."""
    arrays = ", ".join(f"%s::{_array_type(table.c[name])}" for name in columns)
    return f"unnest({arrays})", tuple(list(values) for values in zip(*rows))


def _in_list(connection: Connection, column, values: list) -> tuple[str, tuple]:
    """``IN (?, ?, …)`` and its parameters, the values; on PostgreSQL ``= ANY(%s::type[])`` and one
    parameter, the list."""
    if connection.dialect.name == "postgresql":
        return f"= ANY(%s::{_array_type(column)})", (values,)
    return "IN " + _marks(len(values)), tuple(values)


def _keys_join(connection: Connection, table, key_columns: tuple[str, ...], keys: list[tuple]) -> tuple[str, tuple]:
    """``FROM <keys> AS k CROSS JOIN <table> AS t WHERE t.a = k.column1 AND …`` and its parameters: one
    index search per key. The keys are a ``VALUES`` list on SQLite (3.40 does not use an index for
    ``WHERE (a, b) IN (VALUES …)`` and scans the whole table; CROSS JOIN makes SQLite take the keys as the
    outer loop), one array per key column unnested on PostgreSQL."""
    on = " AND ".join(f"t.{name} = k.column{i}" for i, name in enumerate(key_columns, 1))
    if connection.dialect.name == "postgresql":
        unnested, arrays = _unnest(table, key_columns, keys)
        names = ", ".join(f"column{i}" for i in range(1, len(key_columns) + 1))
        return f"FROM {unnested} AS k({names}) CROSS JOIN {table.name} AS t WHERE {on}", arrays
    row = _marks(len(key_columns))
    return (f"FROM (VALUES {', '.join([row] * len(keys))}) AS k CROSS JOIN {table.name} AS t WHERE {on}",
            tuple(chain.from_iterable(keys)))


def _lookup_keys(connection: Connection, table, key_columns: tuple[str, ...], keys: list[tuple]) -> dict[tuple, int]:
    """{key: id} of the stored rows of ``table`` with these keys (an index search per key)."""
    found = {}
    columns = ", ".join(f"t.{name}" for name in key_columns)
    for chunk in in_chunks(keys):
        join, parameters = _keys_join(connection, table, key_columns, chunk)
        for row in connection.exec_driver_sql(f"SELECT t.id, {columns} {join}", parameters).all():
            found[tuple(row[1:])] = row[0]
    return found


#: Point each relation (of the documents just written, or naming a label or case number they have or
#: had) at the case it names, by label or by series and number so that 确诊病例12 finds 病例12, and only
#: at a case numbered in the same scope (``relations.other_scope`` = ``cases.number_scope``: the 1号 of
#: 1月14日第1号确诊病例 is that day's, not the city's 病例1; a number counted within its notice only links
#: there): in the same notice first, else the most recently published case with that label in the same
#: city (never across cities); ties go to the document whose source sorts last, then to the case further
#: on in it. Every relation that a write can re-point is recomputed (those of the written documents, and
#: those of other documents in the same city that name one of their labels or numbers), and the order
#: uses the data only (no ids), so links are a function of what is stored, not of load order.
#: A cross-notice link joins notices published in the same year (numbering restarts with each outbreak, as
#: for persons); a notice without a published date links within itself only.
#: The relations naming a label or number are found from those (``CROSS JOIN``: SQLite keeps that order), then
#: their cities checked: SQLite otherwise started from the notices of the cities, through every case of a
#: city, and the link cost grew with the cases stored (×4 per case from 10,000 to 100,000 cases in 5 cities).
_LINK_RELATIONS_SQL = """
UPDATE relations SET other_case_id = (
    SELECT target.id
    FROM cases target
    JOIN notices target_notice ON target_notice.id = target.notice_id
    JOIN documents target_document ON target_document.id = target.document_id
    JOIN cases owner ON owner.id = relations.case_id
    JOIN notices owner_notice ON owner_notice.id = owner.notice_id
    WHERE (target.label = relations.other_label
           OR (target.number = relations.other_number AND target.series = relations.other_series))
      AND target.id <> owner.id
      AND target.number_scope = relations.other_scope
      AND (target.notice_id = owner.notice_id
           OR (relations.other_scope <> 'notice' AND owner_notice.city <> ''
               AND target_notice.city = owner_notice.city
               AND {year_of_target} = {year_of_owner}))
    ORDER BY CASE WHEN target.notice_id = owner.notice_id THEN 0 ELSE 1 END,
             CASE WHEN target_notice.published IS NULL THEN 1 ELSE 0 END,
             target_notice.published DESC, target_document.source DESC,
             COALESCE(target.span_start, -1) DESC, COALESCE(target_notice.span_start, -1) DESC
    LIMIT 1)
WHERE id IN (SELECT id FROM relations WHERE document_id {in_documents}
             UNION ALL
             SELECT named.id FROM relations named CROSS JOIN cases owner CROSS JOIN notices owner_notice
             WHERE named.other_label {in_labels} AND owner.id = named.case_id
               AND owner_notice.id = owner.notice_id AND owner_notice.city {in_cities}
             UNION ALL
             SELECT named.id FROM relations named CROSS JOIN cases owner CROSS JOIN notices owner_notice
             WHERE named.other_number {in_numbers} AND owner.id = named.case_id
               AND owner_notice.id = owner.notice_id AND owner_notice.city {in_cities})
"""
_YEAR_OF = {"sqlite": "strftime('%Y', {})", "postgresql": "EXTRACT(YEAR FROM {})"}
#: The columns that the IN lists of ``_LINK_RELATIONS_SQL`` ({in_documents}: ``IN (?, …)`` or ``= ANY(…)``) hold.
_LINK_LISTS = {"documents": relations_t.c.document_id, "labels": relations_t.c.other_label,
               "cities": notices_t.c.city, "numbers": relations_t.c.other_number}


def _old_rows(cases: list[list]) -> _OldRows:
    """The labels, case numbers, cities and persons' descriptions of a document's stored cases (``_OLD_CASES``
    without the document id: label, number, city, person_id, sex, age, residence_district; read by position, as a
    result row's attributes cost an AttributeError each before they are found)."""
    return _OldRows({case[0] for case in cases if case[0] is not None},
                    {case[1] for case in cases if case[1] is not None},
                    {case[2] for case in cases if case[2]},
                    tuple((case[3], tuple(case[4:])) for case in cases if case[3] is not None))


def _link_relations(connection: Connection, document_ids: list[int], labels: set[str], numbers: set[int],
                    cities: set[str]) -> None:
    """Link the relations of these documents, and those of any document that name a case label or
    number these documents have or had (``labels``, ``numbers``) in a city of their notices
    (``cities``; elsewhere they can link to none of these cases): all of them, linked or not, so
    each ends up where the rows now stored say, whatever was stored first."""
    year_of = _YEAR_OF[connection.dialect.name]
    values = {"documents": sorted(document_ids), "labels": sorted(labels) or [""],
              "numbers": sorted(numbers) or [-1], "cities": sorted(cities) or [""]}
    in_lists = {name: _in_list(connection, column, values[name]) for name, column in _LINK_LISTS.items()}
    sql = _LINK_RELATIONS_SQL.format(
        year_of_target=year_of.format("target_notice.published"),
        year_of_owner=year_of.format("owner_notice.published"),
        **{f"in_{name}": sql for name, (sql, _) in in_lists.items()})
    connection.exec_driver_sql(sql, tuple(chain.from_iterable(in_lists[name][1] for name in
                                                               ("documents", "labels", "cities", "numbers", "cities"))))
