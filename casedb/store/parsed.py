"""What the loader hands to the writer, and the rows it wrote (light: no SQL, so that an unchanged
re-import does not import the writer)."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import marshal
from dataclasses import dataclass, field
from typing import NamedTuple

from casedb import records

#: Columns of each row after the ones the writer puts first (id, document_id, parser_version and the
#: ids it looks up): ``casedb.store.rows`` builds them and ``casedb.store.write`` inserts them in
#: this order.
NOTICE_ROW = ("title", "number", "issuer", "city", "published", "year_in_text", "span_start", "span_end")
CASE_ROW = ("case_key", "label", "series", "number", "sex", "age", "category", "occupation", "residence",
            "residence_district", "residence_adcode", "isolation_date", "positive_date", "onset_date", "symptoms",
            "year_inferred", "exposure", "exposure_origin", "exposure_date", "discovery", "discovery_phrase",
            "hospital", "diagnosis", "number_scope", "span_start", "span_end")
VISIT_ROW = ("visit_key", "kind", "date", "end_date", "start", "end", "part_of_day", "place_text", "place_qualifier",
             "activity", "vehicle", "year_inferred", "span_start", "span_end")
RELATION_ROW = ("relation_key", "other_label", "other_series", "other_number", "other_scope", "kind", "phrase",
                "span_start", "span_end")
#: What a row of :class:`DocumentRows` has before those columns: the indexes (in the document's notices and
#: cases) and keys that the writer turns into ids. One flat tuple per row: a worker pickles and the writer unpickles
#: one object, not a tuple of the head and a tuple of the columns.
CASE_HEAD = ("notice_index", "person_key")
VISIT_HEAD = ("case_index", "notice_index", "place_key")
RELATION_HEAD = ("case_index",)
#: Columns of a new ``places`` row besides its key (normalised_name, city).
PLACE_ROW = ("name", "category", "province", "district", "adcode", "latitude", "longitude")


#: The width of ``places.normalised_name`` (:mod:`casedb.store.models`): a place key is cut to it, so that a junk
#: "place" (an OCR run without punctuation) cannot make PostgreSQL refuse the whole document.
PLACE_NAME_WIDTH = 512


class DocumentRows(NamedTuple):
    """A document's rows as a parse worker builds them (``casedb.store.rows.document_rows``): plain tuples
    of values as stored (dates as text), without the ids the writer assigns, so that they are cheap to hand
    over."""

    notices: list[tuple]            # NOTICE_ROW
    cases: list[tuple]              # CASE_HEAD + CASE_ROW
    visits: list[tuple]             # VISIT_HEAD + VISIT_ROW
    relations: list[tuple]          # RELATION_HEAD + RELATION_ROW
    places: dict[tuple, tuple]      # place key → PLACE_ROW, for each place the document names
    labels: set[str]                # of its cases: relations naming them are linked again
    numbers: set[int]
    cities: set[str]                # of its notices
    digest: str                     # rows_digest() of the rows: a re-parse that gives the stored rows keeps them


@functools.cache
def _rows_digest_start() -> bytes:
    """What a digest of rows also covers: the columns the rows' values go to, and the store's code that makes them
    and writes them (:data:`casedb.STORE_SOURCES`: after a change there, every document's rows are written again)."""
    from casedb import STORE_SOURCES, sources_digest

    return repr((NOTICE_ROW, CASE_HEAD, CASE_ROW, VISIT_HEAD, VISIT_ROW, RELATION_HEAD, RELATION_ROW, PLACE_ROW,
                 sources_digest(STORE_SOURCES))).encode()


def rows_digest(notices: list[tuple], cases: list[tuple], visits: list[tuple], relations: list[tuple],
                places: dict[tuple, tuple]) -> str:
    """32 hex digits that change when any value of a document's rows (or the new places they name) does, or the
    store's code (:func:`_rows_digest_start`): stored in ``documents.rows_digest``, so that a re-parse that gives
    the same rows keeps the stored ones (only their parser version changes). The values are serialised by
    ``marshal`` version 2, which writes no references: the same values give the same bytes in any process,
    whichever strings are one object (a pickle's do not; ``repr`` took 4 times as long), and by ``repr`` should a
    value be of a type it cannot write."""
    values = (notices, cases, visits, relations, places)
    try:
        data = marshal.dumps(values, 2)
    except ValueError:
        data = repr(values).encode()
    digest = hashlib.sha256(_rows_digest_start())
    digest.update(data)
    return digest.hexdigest()[:32]


@dataclass
class ParsedDocument:
    """A document read and parsed (or failed), ready to be written by the main process. A parse worker
    hands over ``rows`` (built from the notices, which it then drops: ``notices`` is empty); a document
    made elsewhere may give ``notices`` only, and the writer builds its rows."""

    source: str                               # absolute path or URL: the documents key
    sha256: str
    size_bytes: int
    text: records.SourceText | None = None
    notices: list[records.Notice] = field(default_factory=list)
    error: str | None = None                  # one line, "<source>: <reason>"
    rows: DocumentRows | None = None
    manifest: str | None = None               # the URL list that named a saved page (casedb.manifests)
    fetched_at: dt.datetime | None = None     # when the crawler fetched these bytes


@dataclass
class RowCounts:
    notices: int = 0
    cases: int = 0
    visits: int = 0
    relations: int = 0

    def add(self, other: RowCounts) -> None:
        self.notices += other.notices
        self.cases += other.cases
        self.visits += other.visits
        self.relations += other.relations

    @property
    def total(self) -> int:
        return self.notices + self.cases + self.visits + self.relations


def case_count(parsed: ParsedDocument) -> int:
    """Cases of a parsed document (from its rows when it has them)."""
    if parsed.rows is not None:
        return len(parsed.rows.cases)
    return sum(len(notice.cases) for notice in parsed.notices)
