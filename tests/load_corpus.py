"""A folder of 40 distinct notice documents, and database contents compared by value.

Shared by the kill and concurrency tests: ``make_folder`` writes the documents (the seed pages and
the Shijiazhuang fixtures, then copies with case numbers shifted by 1000, 2000, …, so cases,
persons, places and relations across documents are all exercised); ``snapshot`` reads what a
database holds in a form two loads can be compared by.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, select

from casedb.store.models import metadata

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = 40
CONTENT_TABLES = ("documents", "document_versions", "notices", "persons", "places", "cases", "visits", "relations")
#: Columns that differ between two loads of the same files by design.
TIMESTAMPS = {"first_seen", "changed_at", "last_seen", "superseded_at"}


def make_folder(folder: Path, documents: int = DOCUMENTS) -> None:
    """40 distinct documents: the bases, then copies with case numbers shifted by 1000, 2000, …"""
    bases = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures").glob("*.txt"))
    folder.mkdir()
    for index in range(documents):
        base = bases[index % len(bases)]
        shift = 1000 * (index // len(bases))
        text = re.sub(r"病例(\d+)", lambda m: f"病例{int(m.group(1)) + shift}", base.read_text(encoding="utf-8"))
        (folder / f"{index:02d}_{base.name}").write_text(text, encoding="utf-8")


def snapshot(url: str, ignore: frozenset[str] = frozenset()) -> dict[str, Counter]:
    """Each content table as a multiset of rows; a foreign key is replaced by the row it points at. The ids, the
    ``TIMESTAMPS`` and the columns named in ``ignore`` are left out (not even read: a database made by an older
    casedb may not have them)."""
    engine = create_engine(url)
    columns = {name: [column for column in metadata.tables[name].columns
                      if column.name == "id" or (column.name not in TIMESTAMPS and column.name not in ignore)]
               for name in CONTENT_TABLES}
    with engine.connect() as connection:
        rows = {name: {row.id: row._mapping for row in connection.execute(select(*of_table))}
                for name, of_table in columns.items()}
    engine.dispose()
    keys: dict[tuple[str, int], tuple] = {}

    def key(name: str, row_id: int) -> tuple:
        if (name, row_id) not in keys:
            row, parts = rows[name][row_id], []
            for column in columns[name]:
                if column.name == "id":
                    continue
                value = row[column.name]
                for foreign_key in column.foreign_keys:
                    if value is not None:
                        value = key(foreign_key.column.table.name, value)
                parts.append((column.name, value))
            keys[name, row_id] = tuple(parts)
        return keys[name, row_id]

    return {name: Counter(key(name, row_id) for row_id in rows[name]) for name in CONTENT_TABLES}


def differences(reference: dict[str, Counter], result: dict[str, Counter]) -> tuple[int, int]:
    """(rows of ``reference`` missing from ``result``, rows of ``result`` not in ``reference``)."""
    lost = sum(sum((reference[name] - result[name]).values()) for name in CONTENT_TABLES)
    extra = sum(sum((result[name] - reference[name]).values()) for name in CONTENT_TABLES)
    return lost, extra
