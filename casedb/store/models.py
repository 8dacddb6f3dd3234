"""The SQL schema (SQLAlchemy 2). Alembic revisions in ``migrations/`` create it.

Every row that came from a notice points to its document and carries the character span
(``span_start``, ``span_end``) of the text it came from, plus the parser version that made it.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Document(Base):
    """One source file or URL as last seen (older versions live in ``document_versions``)."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(2048), unique=True)   # absolute path or URL
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    encoding: Mapped[str] = mapped_column(String(32))
    media_type: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # when these bytes were first seen
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime)         # last written, or found again / gone
    source_present: Mapped[bool] = mapped_column(Boolean, default=True)
    parser_version: Mapped[str] = mapped_column(String(32))
    # pages loaded from a crawler's URL list (casedb.manifests); null for files
    manifest: Mapped[str | None] = mapped_column(String(2048))       # the list (absolute path) naming the URL
    fetched_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # when the stored bytes were fetched


class DocumentVersion(Base):
    """A superseded version of a document: what it said before it was revised."""

    __tablename__ = "document_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime)       # when this version was first seen
    superseded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    parser_version: Mapped[str] = mapped_column(String(32))
    cases_count: Mapped[int] = mapped_column(Integer, default=0)
    visits_count: Mapped[int] = mapped_column(Integer, default=0)
    relations_count: Mapped[int] = mapped_column(Integer, default=0)


class ImportRun(Base):
    """One ``casedb load`` / ``casedb reparse`` run."""

    __tablename__ = "import_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    command: Mapped[str] = mapped_column(String(32))                 # load | reparse
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    parser_version: Mapped[str] = mapped_column(String(32))
    files_seen: Mapped[int] = mapped_column(Integer, default=0)
    files_new: Mapped[int] = mapped_column(Integer, default=0)
    files_changed: Mapped[int] = mapped_column(Integer, default=0)
    files_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    files_failed: Mapped[int] = mapped_column(Integer, default=0)
    files_missing: Mapped[int] = mapped_column(Integer, default=0)   # stored earlier, no longer in the folder
    rows_written: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[str | None] = mapped_column(Text)                  # one line per failed file


class Notice(Base):
    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(String(64))
    issuer: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(64), index=True)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    year_in_text: Mapped[bool] = mapped_column(Boolean, default=True)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    parser_version: Mapped[str] = mapped_column(String(32))


class Person(Base):
    """One person across notices: the same (city, year published, series, number, scope) — never across
    cities, nor across years (cities restart their numbering), nor across scopes: ``scope`` is '' where a
    city numbers its cases cumulatively, else the day or district a numbering restarts in; see
    ``casedb.store.write``."""

    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    series: Mapped[str] = mapped_column(String(32))
    number: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(64), default="", server_default="")
    __table_args__ = (UniqueConstraint("city", "year", "series", "number", "scope",
                                       name="uq_persons_city_year_series_number_scope"),)


class Case(Base):
    """One case as one notice describes it; ``person_id`` links the cases of one person across notices."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable across re-parses and reloads: source, notice and label (``casedb.store.keys``)
    case_key: Mapped[str | None] = mapped_column(String(40))         # unique within its document: see below
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    label: Mapped[str | None] = mapped_column(String(64), index=True)   # relations link by label (write.py)
    series: Mapped[str | None] = mapped_column(String(32))
    number: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(8))
    age: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(16), index=True)
    occupation: Mapped[str | None] = mapped_column(Text)
    residence: Mapped[str | None] = mapped_column(Text)
    residence_district: Mapped[str | None] = mapped_column(String(64))   # casedb.places.residence_columns
    residence_adcode: Mapped[str | None] = mapped_column(String(6), index=True)
    isolation_date: Mapped[dt.date | None] = mapped_column(Date)
    positive_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    onset_date: Mapped[dt.date | None] = mapped_column(Date)          # first symptoms, when the notice says
    symptoms: Mapped[str | None] = mapped_column(Text)                # as written: 发热、咳嗽
    year_inferred: Mapped[bool | None] = mapped_column(Boolean)       # the year of its dates was not written
    exposure: Mapped[str | None] = mapped_column(Text)                # as written: 武汉回温 / 与病例3共同就餐
    exposure_origin: Mapped[str | None] = mapped_column(String(64))   # the place travelled from: 武汉
    exposure_date: Mapped[dt.date | None] = mapped_column(Date)       # the return / the stated exposure
    discovery: Mapped[str | None] = mapped_column(String(40))         # casedb.records.DISCOVERY_KINDS
    discovery_phrase: Mapped[str | None] = mapped_column(Text)        # as written: 在集中隔离点筛查中发现
    hospital: Mapped[str | None] = mapped_column(Text)                # where the case is treated
    diagnosis: Mapped[str | None] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    parser_version: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    #: where its number counts: '' the city, 'day:2020-01-28', 'district:泰顺县', 'notice' (casedb.persons)
    number_scope: Mapped[str] = mapped_column(String(64), default="", server_default="")
    __table_args__ = (Index("ix_cases_series_number", "series", "number"),
                      Index("ix_cases_document_id_case_key", "document_id", "case_key", unique=True))


class Place(Base):
    """One distinct place: the same normalised name in the same city is one row."""

    __tablename__ = "places"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)                           # first spelling seen
    normalised_name: Mapped[str] = mapped_column(String(PLACE_NAME_WIDTH))
    city: Mapped[str] = mapped_column(String(64), default="")        # "" when unknown
    district: Mapped[str | None] = mapped_column(String(64))
    # casedb.places.place_columns: the division the name states (province: else the notice city's)
    province: Mapped[str | None] = mapped_column(String(64))
    adcode: Mapped[str | None] = mapped_column(String(6), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)            # centroid of that division
    longitude: Mapped[float | None] = mapped_column(Float)
    category: Mapped[str | None] = mapped_column(String(32), index=True)   # supermarket, hospital, bus…
    __table_args__ = (UniqueConstraint("normalised_name", "city", name="uq_places_name_city"),)


class Visit(Base):
    __tablename__ = "visits"
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_key: Mapped[str | None] = mapped_column(String(40))         # casedb.store.keys; unique: see below
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))  # null: unattributed
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"))                    # null for home
    kind: Mapped[str] = mapped_column(String(8))                      # visit | transit | home
    date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    start: Mapped[dt.datetime | None] = mapped_column(DateTime)
    end: Mapped[dt.datetime | None] = mapped_column(DateTime)
    part_of_day: Mapped[str | None] = mapped_column(String(8))
    place_text: Mapped[str | None] = mapped_column(Text)              # as written in this notice
    place_qualifier: Mapped[str | None] = mapped_column(String(32))   # 附近, 门口, 楼下… (casedb.places)
    activity: Mapped[str | None] = mapped_column(Text)
    vehicle: Mapped[str | None] = mapped_column(Text)
    year_inferred: Mapped[bool | None] = mapped_column(Boolean)       # the year of its dates was not written
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    parser_version: Mapped[str] = mapped_column(String(32))
    #: ``(date, place_id)`` serves date windows and the co-location lookups (a place on a day); led by the
    #: date, which moves on as notices come out, a load inserts near the index's end (led by the place, a
    #: visit went to a random page: revision 0014).
    __table_args__ = (
        Index("ix_visits_date_place_id", "date", "place_id"),
        Index("ix_visits_case_date", "case_id", "date"),
        Index("ix_visits_document_id_visit_key", "document_id", "visit_key", unique=True),
    )


class Relation(Base):
    __tablename__ = "relations"
    id: Mapped[int] = mapped_column(primary_key=True)
    relation_key: Mapped[str | None] = mapped_column(String(40))     # casedb.store.keys; unique: see below
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    other_label: Mapped[str] = mapped_column(String(64), index=True)
    other_series: Mapped[str | None] = mapped_column(String(32))      # series and number read from other_label,
    other_number: Mapped[int | None] = mapped_column(Integer, index=True)  # so 确诊病例12 links to the case 病例12
    other_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    other_scope: Mapped[str] = mapped_column(String(64), default="", server_default="")   # of other_number
    kind: Mapped[str] = mapped_column(String(16), index=True)
    phrase: Mapped[str | None] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    parser_version: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_relations_document_id_relation_key", "document_id", "relation_key", unique=True),)
