"""Stable keys (issue 16): a case, visit or relation keeps its key across ``reparse --all``, a revision
that leaves it unchanged, and a reload into a fresh database; ids do not."""
from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from casedb.store import connect, load, reparse
from casedb.store.models import cases, relations, visits
from tests.shared_data import DEVSET, require

#: Dev-set pages with labelled cases, relations, home stays and unattributed visits.
PAGES = ("101", "105", "701", "713")
KEYED = ((cases, "case_key"), (visits, "visit_key"), (relations, "relation_key"))


def _keys(url: str) -> dict[str, dict[str, int]]:
    """{key column: {key: id}}."""
    engine = connect(url)
    with engine.connect() as connection:
        found = {column: dict(connection.execute(sa.select(table.c[column], table.c.id)).all())
                 for table, column in KEYED}
    engine.dispose()
    return found


def _copy_pages(folder) -> list:
    folder.mkdir()
    pages = [page for number in PAGES for page in require(DEVSET).glob(f"{number}*.txt")]
    assert len(pages) == len(PAGES)
    for page in pages:
        shutil.copy(page, folder / page.name)
    return sorted(folder.iterdir())


def test_keys_survive_reparse_revision_and_a_fresh_database(tmp_path, db_url):
    pages = _copy_pages(tmp_path / "pages")
    assert load([tmp_path / "pages"], db_url, workers=1).ok
    first = _keys(db_url)
    assert all(None not in keys and len(keys) > 3 for keys in first.values())
    assert len(first["relation_key"]) >= 2

    assert reparse(db_url, force=True, workers=1).ok
    again = _keys(db_url)
    assert {column: set(keys) for column, keys in again.items()} == {
        column: set(keys) for column, keys in first.items()}

    # a revision appending a line: every row the page had keeps its key
    revised = pages[0]
    revised.write_text(revised.read_text(encoding="utf-8") + "\n（来源：本报）\n", encoding="utf-8")
    assert load([tmp_path / "pages"], db_url, workers=1).ok
    assert {column: set(keys) for column, keys in _keys(db_url).items()} == {
        column: set(keys) for column, keys in first.items()}


def test_a_fresh_database_gets_the_same_keys(tmp_path):
    _copy_pages(tmp_path / "pages")
    one, two = (f"sqlite:///{tmp_path / name}.sqlite" for name in ("one", "two"))
    assert load([tmp_path / "pages"], one, workers=1).ok
    assert load([tmp_path / "pages"], two, workers=2).ok
    assert {c: set(k) for c, k in _keys(one).items()} == {c: set(k) for c, k in _keys(two).items()}


def test_repeated_rows_get_their_occurrence():
    from casedb import records
    from casedb.store.keys import KeyMaker

    keys = KeyMaker("/data/page.txt")
    notice = keys.notice(records.Notice(title="通告"))
    unlabelled = [keys.case(notice, records.Case(label=None)) for _ in range(2)]
    home = records.Visit(kind="home")
    visits = [keys.visit(unlabelled[0], home) for _ in range(2)]
    assert len(set(unlabelled)) == len(set(visits)) == 2
    assert KeyMaker("/data/page.txt").case(notice, records.Case(label=None)) == unlabelled[0]
    assert KeyMaker("/data/other.txt").notice(records.Notice(title="通告")) != notice


def test_pseudonymised_exports_salt_the_keys(tmp_path):
    """The keys hash the source's path: a pseudonymised export gives salted keys, the same for the same salt."""
    import pandas as pd

    from casedb.export import export

    _copy_pages(tmp_path / "pages")
    url = f"sqlite:///{tmp_path / 'casedb.sqlite'}"
    assert load([tmp_path / "pages"], url, workers=1).ok
    stored = set(_keys(url)["case_key"])
    engine = connect(url)
    exported = [set(pd.read_csv(export(engine, tmp_path / name, fmt="csv", pseudonymise=True, salt=salt)["cases"][0])
                    ["case_key"]) for name, salt in (("one", "s"), ("two", "s"), ("three", "t"))]
    engine.dispose()
    assert exported[0] == exported[1] and exported[0].isdisjoint(stored) and exported[0].isdisjoint(exported[2])
    assert len(exported[0]) == len(stored)


def test_keys_are_unique_within_their_document_by_an_index_led_by_the_document(tmp_path):
    """A key's index is (document_id, key): rows are written document after document, so a load appends to
    it (a key alone falls at random); a key hashes its document's source, so unique within a document is
    unique. The same key twice in one document is refused, and no index starts with a key."""
    from sqlalchemy.exc import IntegrityError

    for table, column in KEYED:
        indexes = {index.name: [c.name for c in index.columns] for index in table.indexes}
        assert indexes[f"ix_{table.name}_document_id_{column}"] == ["document_id", column]
        assert next(index for index in table.indexes if index.name.endswith(column)).unique
        assert [name for name, columns in indexes.items() if columns[0] == column] == []
        assert [name for name, columns in indexes.items() if columns == ["document_id"]] == []   # served by the key's

    _copy_pages(tmp_path / "pages")
    url = f"sqlite:///{tmp_path / 'casedb.sqlite'}"
    assert load([tmp_path / "pages"], url, workers=1).ok
    engine = connect(url)
    with engine.connect() as connection:
        visit = connection.execute(sa.select(visits).limit(1)).mappings().one()
        with pytest.raises(IntegrityError):
            connection.execute(sa.insert(visits).values(**{**visit, "id": None}))
        plan = " ".join(row[3] for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN DELETE FROM visits WHERE document_id = ?", (visit["document_id"],)))
        assert "ix_visits_document_id_visit_key" in plan, plan
    engine.dispose()
