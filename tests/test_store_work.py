"""Work counts of the writer (no timing): every statement it runs on SQLite searches an index, none
scans a table, so the cost of a document does not grow with the database; and a document costs a
bounded number of SQL statements.

The toy parser (tests/toy_notices.py) stands in for the real one, so only the store is tested here.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from casedb.store import connect, load
from casedb.store import write as write_module
from tests.toy_notices import notice_text, parse

CASE = ("CASE 病例{n} case {n} {sex} {age}\nVISIT 2022-04-02 20:00 茂业天地楼下喜茶店{shop} 买奶茶\n"
        "RIDE 2022-04-02 D24{n}次列车\nHOME 2022-04-06 2022-04-07\nREL 病例{other} child 女儿\n"
        "REL 确诊病例{other2} spouse 丈夫")


def _case(n: int) -> str:
    return CASE.format(n=n, sex="male" if n % 2 else "female", age=20 + n % 50, shop=n % 7,
                       other=max(1, n - 1), other2=n + 3)


def _write_folder(folder, documents: int, cases: int = 4):
    folder.mkdir(exist_ok=True)
    for d in range(documents):
        city = ("太原市", "西安市")[d % 2]
        text = notice_text(city, f"2022-04-{1 + d % 28:02d}", *(_case(d * cases + c + 1) for c in range(cases)))
        (folder / f"{d:03d}.txt").write_text(text, encoding="utf-8")


@pytest.fixture
def recorded(monkeypatch):
    """Statements run by the writer (inside ``write_with_retry``), as (SQL, parameters, executemany)."""
    statements, writing = [], [False]
    real = write_module.write_with_retry

    def recording(*args, **kwargs):
        writing[0] = True
        try:
            return real(*args, **kwargs)
        finally:
            writing[0] = False

    monkeypatch.setattr(write_module, "write_with_retry", recording)

    def listen(engine):
        @event.listens_for(engine, "before_cursor_execute")
        def record(_connection, _cursor, statement, parameters, _context, executemany):
            if writing[0]:
                statements.append((statement, parameters, executemany))
    return statements, listen


def _scans(connection, statement: str, parameters) -> list[str]:
    """The tables SQLite would scan for ``statement`` (its EXPLAIN QUERY PLAN's SCAN lines)."""
    plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    return [row[3] for row in plan if re.match(r"SCAN (?!(\d+ )?CONSTANT ROWS?$|k$)", row[3])]


def test_the_writer_never_scans_a_table(tmp_path, recorded):
    statements, listen = recorded
    url = f"sqlite:///{tmp_path / 'casedb.sqlite'}"
    engine = connect(url)
    listen(engine)
    folder = tmp_path / "notices"
    _write_folder(folder, 6)
    load([folder], engine=engine, parser=parse)
    # a revised document: its old rows are removed and other documents' relations relinked
    _write_folder(folder, 6, cases=5)
    load([folder], engine=engine, parser=parse)
    reads = [(s, p) for s, p, many in statements if not many and re.match(r"\s*(SELECT|UPDATE|DELETE)", s)]
    assert any("VALUES" in s and "places" in s for s, _ in reads)      # the place lookup was seen
    assert any(s.lstrip().startswith("UPDATE relations SET other_case_id = (") for s, _ in reads)
    with engine.connect() as connection:
        scans = {s: _scans(connection, s, p) for s, p in reads}
    assert {s: scan for s, scan in scans.items() if scan} == {}
