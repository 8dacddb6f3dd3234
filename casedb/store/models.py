"""The SQL schema (SQLAlchemy Core tables). Alembic revisions in ``migrations/`` create it.

Every row that came from a notice points to its document and carries the character span
(``span_start``, ``span_end``) of the text it came from, plus the parser version that made it.

Plain tables, no ORM classes: casedb reads and writes them with Core statements only, and importing
SQLAlchemy's ORM and declaring mapped classes took 0.1 s of CPU in every command (in a load of 10,000
cases, about a fifteenth of the loading process's CPU).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
    UniqueConstraint,
)

from casedb.store.parsed import PLACE_NAME_WIDTH

#: Named constraints, so that alembic batch migrations on SQLite can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Timestamps are stored as naive UTC."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _id() -> Column:
    return Column("id", Integer, primary_key=True)


def _of_document(index: bool | None = None) -> Column:
    """``document_id``: the document a row belongs to (deleted with it)."""
    return Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
                  index=index)


def _span_and_version() -> tuple[Column, ...]:
    """The character span of the text a row came from, and the parser version that made it."""
    return (Column("span_start", Integer), Column("span_end", Integer),
            Column("parser_version", String(32), nullable=False))


#: One source file or URL as last seen (older versions live in ``document_versions``).
documents = Table(
    "documents", metadata,
    _id(),
    Column("source", String(2048), nullable=False, unique=True),     # absolute path or URL
    Column("sha256", String(64), nullable=False, index=True),
    Column("size_bytes", Integer, nullable=False),
    Column("encoding", String(32), nullable=False),
    Column("media_type", String(128), nullable=False),
    Column("text", Text, nullable=False),
    Column("first_seen", DateTime, nullable=False),
    Column("changed_at", DateTime, nullable=False, default=utcnow),  # when these bytes were first seen
    Column("last_seen", DateTime, nullable=False),                   # last written, or found again / gone
    Column("source_present", Boolean, nullable=False, default=True),
    Column("parser_version", String(32), nullable=False),
    # pages loaded from a crawler's URL list (casedb.manifests); null for files
    Column("manifest", String(2048)),                                # the list (absolute path) naming the URL
    Column("fetched_at", DateTime),                                  # when the stored bytes were fetched
    # a digest of its rows (casedb.store.parsed.rows_digest): a re-parse that gives the same rows keeps them
    Column("rows_digest", String(32)),
)

#: A superseded version of a document: what it said before it was revised.
document_versions = Table(
    "document_versions", metadata,
    _id(),
    _of_document(index=True),
    Column("sha256", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("first_seen", DateTime, nullable=False),                  # when this version was first seen
    Column("superseded_at", DateTime, nullable=False),
    Column("parser_version", String(32), nullable=False),
    Column("cases_count", Integer, nullable=False, default=0),
    Column("visits_count", Integer, nullable=False, default=0),
    Column("relations_count", Integer, nullable=False, default=0),
)

#: One ``casedb load`` / ``casedb reparse`` run.
import_runs = Table(
    "import_runs", metadata,
    _id(),
    Column("command", String(32), nullable=False),                   # load | reparse
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("parser_version", String(32), nullable=False),
    Column("files_seen", Integer, nullable=False, default=0),
    Column("files_new", Integer, nullable=False, default=0),
    Column("files_changed", Integer, nullable=False, default=0),
    Column("files_unchanged", Integer, nullable=False, default=0),
    Column("files_failed", Integer, nullable=False, default=0),
    Column("files_missing", Integer, nullable=False, default=0),     # stored earlier, no longer in the folder
    Column("rows_written", Integer, nullable=False, default=0),
    Column("errors", Text),                                          # one line per failed file
)

notices = Table(
    "notices", metadata,
    _id(),
    _of_document(index=True),
    Column("title", Text),
    Column("number", String(64)),
    Column("issuer", Text),
    Column("city", String(64), index=True),
    Column("published", Date, index=True),
    Column("year_in_text", Boolean, nullable=False, default=True),
    *_span_and_version(),
)

#: One person across notices: the same (city, year published, series, number, scope) — never across
#: cities, nor across years (cities restart their numbering), nor across scopes: ``scope`` is '' where a
#: city numbers its cases cumulatively, else the day or district a numbering restarts in; see
#: ``casedb.store.write``.
persons = Table(
    "persons", metadata,
    _id(),
    Column("city", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("series", String(32), nullable=False),
    Column("number", Integer, nullable=False),
    Column("scope", String(64), nullable=False, default="", server_default=""),
    UniqueConstraint("city", "year", "series", "number", "scope", name="uq_persons_city_year_series_number_scope"),
)

#: One case as one notice describes it; ``person_id`` links the cases of one person across notices.
cases = Table(
    "cases", metadata,
    _id(),
    #: stable across re-parses and reloads: source, notice and label (``casedb.store.keys``)
    Column("case_key", String(40)),                                  # unique within its document: see below
    Column("notice_id", Integer, ForeignKey("notices.id", ondelete="CASCADE"), nullable=False, index=True),
    _of_document(),
    Column("label", String(64), index=True),                         # relations link by label (write.py)
    Column("series", String(32)),
    Column("number", Integer),
    Column("sex", String(8)),
    Column("age", Integer),
    Column("category", String(16), index=True),
    Column("occupation", Text),
    Column("residence", Text),
    Column("residence_district", String(64)),                        # casedb.places.residence_columns
    Column("residence_adcode", String(6), index=True),
    Column("isolation_date", Date),
    Column("positive_date", Date, index=True),
    Column("onset_date", Date),                                      # first symptoms, when the notice says
    Column("symptoms", Text),                                        # as written: 发热、咳嗽
    Column("year_inferred", Boolean),                                # the year of its dates was not written
    Column("exposure", Text),                                        # as written: 武汉回温 / 与病例3共同就餐
    Column("exposure_origin", String(64)),                           # the place travelled from: 武汉
    Column("exposure_date", Date),                                   # the return / the stated exposure
    Column("discovery", String(40)),                                 # casedb.records.DISCOVERY_KINDS
    Column("discovery_phrase", Text),                                # as written: 在集中隔离点筛查中发现
    Column("hospital", Text),                                        # where the case is treated
    Column("diagnosis", Text),
    *_span_and_version(),
    Column("person_id", Integer, ForeignKey("persons.id"), index=True),
    #: where its number counts: '' the city, 'day:2020-01-28', 'district:泰顺县', 'notice' (casedb.persons)
    Column("number_scope", String(64), nullable=False, default="", server_default=""),
    Index("ix_cases_series_number", "series", "number"),
    Index("ix_cases_document_id_case_key", "document_id", "case_key", unique=True),
)

#: One distinct place: the same normalised name in the same city is one row.
places = Table(
    "places", metadata,
    _id(),
    Column("name", Text, nullable=False),                            # first spelling seen
    Column("normalised_name", String(PLACE_NAME_WIDTH), nullable=False),
    Column("city", String(64), nullable=False, default=""),          # "" when unknown
    Column("district", String(64)),
    # casedb.places.place_columns: the division the name states (province: else the notice city's)
    Column("province", String(64)),
    Column("adcode", String(6), index=True),
    Column("latitude", Float),                                       # centroid of that division
    Column("longitude", Float),
    Column("category", String(32), index=True),                      # supermarket, hospital, bus…
    UniqueConstraint("normalised_name", "city", name="uq_places_name_city"),
)

visits = Table(
    "visits", metadata,
    _id(),
    Column("visit_key", String(40)),                                 # casedb.store.keys; unique: see below
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE")),   # null: unattributed
    Column("notice_id", Integer, ForeignKey("notices.id", ondelete="CASCADE"), nullable=False, index=True),
    _of_document(),
    Column("place_id", Integer, ForeignKey("places.id")),                     # null for home
    Column("kind", String(8), nullable=False),                       # visit | transit | home
    Column("date", Date),
    Column("end_date", Date),
    Column("start", DateTime),
    Column("end", DateTime),
    Column("part_of_day", String(8)),
    Column("place_text", Text),                                      # as written in this notice
    Column("place_qualifier", String(32)),                           # 附近, 门口, 楼下… (casedb.places)
    Column("activity", Text),
    Column("vehicle", Text),
    Column("year_inferred", Boolean),                                # the year of its dates was not written
    *_span_and_version(),
    #: ``(date, place_id)`` serves date windows and the co-location lookups (a place on a day); led by the
    #: date, which moves on as notices come out, a load inserts near the index's end (led by the place, a
    #: visit went to a random page: revision 0014).
    Index("ix_visits_date_place_id", "date", "place_id"),
    Index("ix_visits_case_date", "case_id", "date"),
    Index("ix_visits_document_id_visit_key", "document_id", "visit_key", unique=True),
)

relations = Table(
    "relations", metadata,
    _id(),
    Column("relation_key", String(40)),                              # casedb.store.keys; unique: see below
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    _of_document(),
    Column("other_label", String(64), nullable=False, index=True),
    Column("other_series", String(32)),                              # series and number read from other_label,
    Column("other_number", Integer, index=True),                     # so 确诊病例12 links to the case 病例12
    Column("other_case_id", Integer, ForeignKey("cases.id", ondelete="SET NULL"), index=True),
    Column("other_scope", String(64), nullable=False, default="", server_default=""),   # of other_number
    Column("kind", String(16), nullable=False, index=True),
    Column("phrase", Text),
    *_span_and_version(),
    Index("ix_relations_document_id_relation_key", "document_id", "relation_key", unique=True),
)
