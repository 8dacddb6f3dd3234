"""Stable keys of cases, visits and relations: built from what a row is, not from when it was written.

A row's id changes whenever its document is written again (``casedb reparse``, a revision); its key
does not, as long as the row says the same thing:

- a notice is known by its source, title and number (the first, second… notice of that title);
- a case by its notice and its label (an unlabelled case by its place among the unlabelled ones);
- a visit by its case (or notice, when unattributed), kind, dates, clock times, place and vehicle;
- a relation by its case, the other case's label and the kind.

The same description twice in one place is told apart by its occurrence (the first, the second…).
Keys are 20 hex characters of a BLAKE2b digest, so the same file loaded into a fresh database gets the
same keys, and exports made a week apart join on them.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from casedb import records

_SEPARATOR = "\x1f"
#: An empty 10-byte BLAKE2b: a copy of it is quicker to make than a new one.
_EMPTY_DIGEST = hashlib.blake2b(digest_size=10)


def _digest(*parts) -> str:
    text = _SEPARATOR.join(["" if part is None else str(part) for part in parts])
    digest = _EMPTY_DIGEST.copy()
    digest.update(text.encode())
    return digest.hexdigest()


class DateTexts(dict):
    """``text(value)`` of each date or time, made once per process: dates and clock times recur across a
    worker's visits, and one text object for each is also one object for pickle to hand over; ``none`` is the
    text of None. Only ``dt.date`` and naive ``dt.datetime`` values (what ``records`` holds) are kept: an aware
    time, whose equal in another zone has another text (nor is it ever equal to a naive one), gets its text
    made on each call."""

    def __init__(self, text, none: str | None = None):
        super().__init__({None: none})
        self.text, self.none = text, none

    def __missing__(self, value) -> str:
        text = self.text(value)
        if type(value) is dt.date or type(value) is dt.datetime and value.tzinfo is None:
            if len(self) >= 100_000:
                self.clear()
                self[None] = self.none
            self[value] = text
        return text


#: A date's or time's text in a key.
_DATE_TEXT = DateTexts(str, "")


class KeyMaker:
    """Keys of one document's rows; repeated descriptions under one parent get their occurrence."""

    def __init__(self, source: str):
        self.source = source
        self._seen: dict[tuple, int] = {}

    def _key(self, *parts) -> str:
        seen = self._seen
        occurrence = seen[parts] = seen.get(parts, 0) + 1
        return _digest(*parts, occurrence)

    def notice(self, notice: records.Notice) -> str:
        return self._key(self.source, "notice", notice.title, notice.number)

    def case(self, notice_key: str, case: records.Case) -> str:
        return self._key(notice_key, "case", case.label)

    def visit(self, parent_key: str, visit: records.Visit) -> str:
        """``_key(parent_key, "visit", kind, date, end_date, start, end, part_of_day, place, vehicle)``, written out
        (a document has many visits): the text parts (str or None) as themselves or "", the dates and times
        as their ``str()`` (``_DATE_TEXT``)."""
        kind, date, end_date, start, end = visit.kind, visit.date, visit.end_date, visit.start, visit.end
        part_of_day, place, vehicle = visit.part_of_day, visit.place, visit.vehicle
        parts = (parent_key, "visit", kind, date, end_date, start, end, part_of_day, place, vehicle)
        seen = self._seen
        occurrence = seen[parts] = seen.get(parts, 0) + 1
        texts = _DATE_TEXT
        text = (f"{parent_key}\x1fvisit\x1f{kind or ''}\x1f{texts[date]}\x1f{texts[end_date]}\x1f{texts[start]}"
                f"\x1f{texts[end]}\x1f{part_of_day or ''}\x1f{place or ''}\x1f{vehicle or ''}\x1f{occurrence}")
        digest = _EMPTY_DIGEST.copy()
        digest.update(text.encode())
        return digest.hexdigest()

    def relation(self, case_key: str, relation: records.Relation) -> str:
        return self._key(case_key, "relation", relation.other, relation.kind)
