"""What the loader hands to the writer, and the rows it wrote (light: no SQL, so that an unchanged
re-import does not import the writer)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from casedb import records


@dataclass
class ParsedDocument:
    """A document read and parsed (or failed), ready to be written by the main process."""

    source: str                               # absolute path or URL: the documents key
    sha256: str
    size_bytes: int
    text: records.SourceText | None = None
    notices: list[records.Notice] = field(default_factory=list)
    error: str | None = None                  # one line, "<source>: <reason>"
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
