"""``casedb sql --format csv/json``, ``casedb runs`` and the error lines of ``load`` print no raw terminal
control characters (issue 19, Low): a cell or a file name holding ``ESC[2J`` cannot clear the screen.

CSV cells are written as :func:`casedb.terminal.printable` writes them (``\\x1b``), the same on a terminal
or in a file; JSON uses its own ``\\u001b`` escapes, so it decodes to the stored values exactly.
"""
from __future__ import annotations

import csv
import io
import json
import re

from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from casedb.cli import main
from casedb.store.query import format_rows
from casedb.terminal import printable

#: What a terminal acts on: C0 controls but line breaks and tabs, DEL, C1 controls, bidi overrides.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HOSTILE = ["\x1b[2J", "\x1b]0;pwned\x07", "a\rb", "x\x08y", "\x9b31m", "\u202eevil", "\x00", "\x7f", "ok 病例1"]

cell_text = st.text(st.one_of(st.sampled_from("\x1b\x07\x08\r\x00\x7f\x9b\u202e\u2066\n\t"),
                              st.characters(codec="utf-8")), max_size=20)
cells = st.one_of(st.none(), st.integers(), cell_text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(cells, min_size=2, max_size=2), max_size=5), cell_text)
def test_csv_and_json_rows_hold_no_control_characters(rows, name):
    columns = [name, "b"]
    rows = [tuple(row) for row in rows]
    as_json = format_rows(columns, rows, "json")
    assert not UNSAFE.search(as_json)
    assert json.loads(as_json) == [dict(zip(columns, row)) for row in rows]   # the same values
    as_csv = format_rows(columns, rows, "csv")
    assert not UNSAFE.search(as_csv.replace("\r\n", "\n").replace("\r", "")) and "\x1b" not in as_csv
    read = list(csv.reader(io.StringIO(as_csv)))
    assert read[0] == [printable(name), "b"]
    assert read[1:] == [["" if v is None else printable(v) if isinstance(v, str) else str(v) for v in row]
                        for row in rows]


def test_sql_csv_and_json_print_escapes_as_text(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert CliRunner().invoke(main, ["db", "upgrade", "--db", url]).exit_code == 0
    values = ", ".join(f"({' || '.join(f'char({ord(ch)})' for ch in text)}) AS c{i}"
                       for i, text in enumerate(HOSTILE))
    for fmt in ("csv", "json", "table"):
        result = CliRunner().invoke(main, ["sql", f"SELECT {values}", "--db", url, "--format", fmt])
        assert result.exit_code == 0, result.output
        assert not UNSAFE.search(result.output), (fmt, result.output)
        if fmt == "csv":
            assert "\\x1b[2J" in result.output and "ok 病例1" in result.output
        if fmt == "json":
            assert json.loads(result.output) == [{f"c{i}": text for i, text in enumerate(HOSTILE)}]


def test_load_error_lines_print_escapes_as_text(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\x1b[2J\x1b]0;title\x07.txt").write_bytes(b"")
    (folder / "bidi\u202etxt.html").write_bytes(b"")
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    result = CliRunner().invoke(main, ["load", str(folder), "--db", url, "--workers", "1"])
    assert result.exit_code == 1
    assert not UNSAFE.search(result.stderr) and not UNSAFE.search(result.output), result.stderr
    assert "evil\\x1b[2J\\x1b]0;title\\x07.txt: empty file" in result.stderr
    assert "bidi\\u202etxt.html" in result.stderr
    quiet = CliRunner().invoke(main, ["load", str(folder), "--db", url, "--workers", "1", "--quiet"])
    assert quiet.exit_code == 1 and "first error" in quiet.output
    assert not UNSAFE.search(quiet.output) and ("\\x1b[2J" in quiet.output or "\\u202e" in quiet.output)
    runs = CliRunner().invoke(main, ["runs", "--db", url, "--format", "csv"])
    assert runs.exit_code == 0 and not UNSAFE.search(runs.output)
    assert "\\x1b[2J" in runs.output or "\\u202e" in runs.output
