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

import hashlib
from collections import Counter

from casedb import records

_SEPARATOR = "\x1f"


def _digest(*parts) -> str:
    text = _SEPARATOR.join(["" if part is None else str(part) for part in parts])
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


class KeyMaker:
    """Keys of one document's rows; repeated descriptions under one parent get their occurrence."""

    def __init__(self, source: str):
        self.source = source
        self._seen: Counter = Counter()

    def _key(self, *parts) -> str:
        self._seen[parts] += 1
        return _digest(*parts, self._seen[parts])

    def notice(self, notice: records.Notice) -> str:
        return self._key(self.source, "notice", notice.title, notice.number)

    def case(self, notice_key: str, case: records.Case) -> str:
        return self._key(notice_key, "case", case.label)

    def visit(self, parent_key: str, visit: records.Visit) -> str:
        return self._key(parent_key, "visit", visit.kind, visit.date, visit.end_date, visit.start, visit.end,
                         visit.part_of_day, visit.place, visit.vehicle)

    def relation(self, case_key: str, relation: records.Relation) -> str:
        return self._key(case_key, "relation", relation.other, relation.kind)
